namespace RiverRun.Runner.Doctor;

/// <summary>One line of <c>riverrun doctor</c>: what was checked, whether it passed, and how to fix it when not.</summary>
/// <param name="Name">Short name, e.g. "systemd", "cgroups".</param>
/// <param name="Ok">Whether it passed.</param>
/// <param name="Detail">What was found.</param>
/// <param name="Fix">How to fix a failure; null when it passed.</param>
public sealed record DoctorCheck(string Name, bool Ok, string Detail, string? Fix = null)
{
    /// <summary>A passed check.</summary>
    public static DoctorCheck Pass(string name, string detail) => new(name, true, detail);

    /// <summary>A failed check with its remedy.</summary>
    public static DoctorCheck Fail(string name, string detail, string fix) => new(name, false, detail, fix);
}
