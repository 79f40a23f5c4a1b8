namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// A test that needs the sandbox (real systemd in nspawn nodes, which needs root). On a
/// developer's laptop without root it is reported as skipped; with RIVERRUN_REQUIRE_SANDBOX=1
/// (as .ci/run sets) it always runs, so a sandbox that cannot work is a failure, never a skip.
/// </summary>
public sealed class SandboxFactAttribute : FactAttribute
{
    public SandboxFactAttribute()
    {
        if (!SandboxRequirements.Required && SandboxRequirements.WhyUnavailable() is { } reason)
        {
            Skip = $"needs the sandbox: {reason} (set RIVERRUN_REQUIRE_SANDBOX=1 to make this a failure)";
        }
    }
}

public static class SandboxRequirements
{
    public static bool Required => Environment.GetEnvironmentVariable("RIVERRUN_REQUIRE_SANDBOX") == "1";

    /// <summary>Why the sandbox cannot run on this machine, or null when it can.</summary>
    public static string? WhyUnavailable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (Environment.UserName != "root")
        {
            return "not running as root";
        }

        return null;
    }
}
