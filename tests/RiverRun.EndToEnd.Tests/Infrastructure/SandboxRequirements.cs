namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Whether the sandbox (real systemd in nspawn nodes, which needs root on Linux) can run here,
/// and what a sandbox test does when it cannot: on a developer's laptop without root it is
/// skipped; with RIVERRUN_REQUIRE_SANDBOX=1 (as .ci/run sets) it runs and fails, so a sandbox
/// that cannot work is never a silent skip in CI.
/// </summary>
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

    /// <summary>Skips the calling test when the sandbox cannot run here and nobody requires it.</summary>
    public static void SkipUnlessAvailableOrRequired()
    {
        if (!Required && WhyUnavailable() is { } reason)
        {
            Assert.Skip($"needs the sandbox: {reason} (set RIVERRUN_REQUIRE_SANDBOX=1 to make this a failure)");
        }
    }
}
