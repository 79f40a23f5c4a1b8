namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// Where the end-to-end tests keep their sandboxes and which port their Host uses. Fixed by
/// default; RIVERRUN_E2E_ID (a short suffix) and RIVERRUN_E2E_PORT let two checkouts run the
/// end-to-end tests on one machine at the same time without tearing down each other's nodes.
/// </summary>
public static class TestSandboxes
{
    private static readonly string Suffix = Environment.GetEnvironmentVariable("RIVERRUN_E2E_ID") is { Length: > 0 } id ? "-" + id : string.Empty;

    /// <summary>The cluster's Host port.</summary>
    public static int ClusterPort { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("RIVERRUN_E2E_PORT"), out var port) ? port : 18700;

    /// <summary>The state directory of the sandbox named <paramref name="name"/>.</summary>
    public static string Directory(string name) => $"/var/lib/riverrun-sandbox-{name}{Suffix}";
}
