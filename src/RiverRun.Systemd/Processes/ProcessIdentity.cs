using System.Runtime.InteropServices;

namespace RiverRun.Systemd.Processes;

/// <summary>The user and group this process acts as (what a file it creates is owned by).</summary>
public static partial class ProcessIdentity
{
    /// <summary>The effective user id.</summary>
    public static int UserId => (int)GetEffectiveUserId();

    /// <summary>The effective group id.</summary>
    public static int GroupId => (int)GetEffectiveGroupId();

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    [LibraryImport("libc", EntryPoint = "getegid")]
    private static partial uint GetEffectiveGroupId();
}
