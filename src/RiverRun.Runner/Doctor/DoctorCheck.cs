namespace RiverRun.Runner.Doctor;

/// <summary>One line of <c>riverrun doctor</c>: what was checked, whether it passed, and how to fix it when not.</summary>
/// <param name="Name">Short name, e.g. "systemd", "cgroups".</param>
/// <param name="Ok">Whether it passed: a note passes too (the node can run a Runner).</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">How to fix a failure, or what would improve a passed check with a note; null otherwise.</param>
public sealed record DoctorCheck(string Name, bool Ok, string Detail, string? Fix = null)
{
    /// <summary>Passed, but something on the node costs the Runner and <see cref="Fix"/> says how to change it.</summary>
    public bool IsNote => Ok && Fix is not null;

    /// <summary>A passed check.</summary>
    public static DoctorCheck Pass(string name, string detail) => new(name, true, detail);

    /// <summary>A failed check with its remedy.</summary>
    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, false, detail, fix);

    /// <summary>A passed check with advice: the Runner works, but better with <paramref name="fix"/>.</summary>
    public static DoctorCheck Note(string name, string detail, string fix) => new(name, true, detail, fix);
}
