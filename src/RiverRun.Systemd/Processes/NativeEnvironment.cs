using System.Runtime.InteropServices;

namespace RiverRun.Systemd.Processes;

/// <summary>
/// The C library's own environment (setenv/getenv), which native libraries such as OpenSSL read.
/// .NET keeps a managed copy on Unix: <see cref="Environment.SetEnvironmentVariable(string, string)"/>
/// changes only that copy, so a setting meant for a native library has to be made here.
/// Not thread-safe against native code reading the environment at the same moment (setenv never
/// is); call it early, before the library it is meant for runs.
/// </summary>
public static partial class NativeEnvironment
{
    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> in the C library's environment.</summary>
    /// <exception cref="ArgumentException">The name is empty or holds '=' or NUL, or the value holds NUL.</exception>
    /// <exception cref="IOException">setenv failed (out of memory).</exception>
    public static void Set(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' cannot be an environment variable's name.", nameof(name));
        }

        if (value.Contains('\0', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The value of {name} holds a NUL byte, which the environment cannot carry.", nameof(value));
        }

        if (SetEnv(name, value, overwrite: 1) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"setenv({name}) failed (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
        }
    }

    /// <summary>The value of <paramref name="name"/> in the C library's environment, or null.</summary>
    public static string? Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return Marshal.PtrToStringUTF8(GetEnvPointer(name));
    }

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    // getenv's result belongs to the C library: copied into a managed string, never freed here.
    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnvPointer(string name);
}
