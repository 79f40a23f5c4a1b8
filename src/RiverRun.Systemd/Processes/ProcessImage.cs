using System.Runtime.InteropServices;

namespace RiverRun.Systemd.Processes;

/// <summary>
/// execv(2): runs another program in this process. The process id stays, and so do the C
/// library's environment (not .NET's managed copy: see <see cref="NativeEnvironment"/>) and every
/// descriptor opened without close-on-exec (.NET opens its own with it; systemd's LISTEN_FDS
/// sockets have it cleared). Signals with handlers go back to their defaults; ignored ones stay
/// ignored, as for any exec.
/// </summary>
public static partial class ProcessImage
{
    /// <summary>
    /// Replaces this process's program with <paramref name="path"/>, given <paramref name="argv"/>
    /// (argv[0] first). Returns only when the exec failed: the reason, as strerror tells it.
    /// </summary>
    public static string Replace(string path, IReadOnlyList<string> argv)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Count == 0)
        {
            throw new ArgumentException("argv needs at least argv[0].", nameof(argv));
        }

        // execv wants a NULL-terminated array.
        string?[] terminated = [.. argv, null];
        Execv(path, terminated);
        var errno = Marshal.GetLastPInvokeError();
        return $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
    }

    [LibraryImport("libc", EntryPoint = "execv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Execv(string path, string?[] argv);
}
