using System.Runtime.InteropServices;

namespace RiverRun.Systemd;

/// <summary>
/// Raises the process's soft limit on open files to its hard limit, as systemd advises for
/// programs that do not use select(): services start with a soft limit of 1024 (kept low for
/// select()'s sake) and a hard limit of 524288.
/// </summary>
/// <remarks>
/// The CoreCLR runtime raises this limit by itself at start; a NativeAOT executable does not. At
/// 1024 a Runner runs out of descriptors at roughly a hundred concurrent tasks (each holds its
/// systemd-run pipes and spool files), found by sending it a thousand: tasks then fail to launch
/// with EMFILE and the Runner's own connection breaks. The Host holds one connection per Runner
/// and per watching client, so it needs the same headroom.
/// </remarks>
public static partial class OpenFileLimit
{
    private const int ResourceOpenFiles = 7; // RLIMIT_NOFILE on Linux

    /// <summary>Raises the soft limit to the hard limit; returns the limit now in force, or null if it could not be read.</summary>
    public static ulong? RaiseToHardLimit()
    {
        if (!OperatingSystem.IsLinux() || GetLimit(ResourceOpenFiles, out var limit) != 0)
        {
            return null;
        }

        if (limit.Current >= limit.Maximum)
        {
            return limit.Current;
        }

        var raised = limit with { Current = limit.Maximum };
        // Failing to raise it is not fatal: the process works as before, with fewer descriptors.
        return SetLimit(ResourceOpenFiles, in raised) == 0 ? raised.Current : limit.Current;
    }

    [StructLayout(LayoutKind.Sequential)]
    private readonly record struct ResourceLimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetLimit(int resource, out ResourceLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetLimit(int resource, in ResourceLimit limit);
}
