using System.Text.RegularExpressions;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// Tokens on the installed services: `riverrun init token` on the Host's machine turns them on,
/// runner tokens in each node's environment file, a runner token bound to another node is refused,
/// and revoking a token cuts its Runner off at once. Ends with every token revoked (open access
/// again), as the other tests of the cluster expect.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed partial class TokenTests(ClusterFixture fixture)
{
    private const string EnvFile = "/etc/riverrun/riverrun.env";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    public async Task Tokens_turn_on_every_check_and_a_Runner_speaks_only_for_its_own_node_until_revoked()
    {
        var cluster = fixture.Ready();
        var originals = new Dictionary<string, string>();
        foreach (var node in new[] { "node1", "node2" })
        {
            originals[node] = (await cluster.Sandbox.ExecAsync(node, ["sh", "-c", $"cat {EnvFile} 2>/dev/null || true"])).StandardOutput;
        }

        // The first admin token, on the Host's machine, into a file of its own (the head's env file stays as it is).
        var init = await cluster.Sandbox.ExecCheckedAsync("head", "/opt/riverrun/riverrun", "init", "token", "--name", "e2e-admin", "--env-file", "/root/e2e-admin.env", "--print");
        var admin = LastLine(init.StandardOutput);
        Assert.Matches("^rr_", admin);
        Assert.Equal("600 root\n", (await cluster.Sandbox.ExecCheckedAsync("head", "stat", "-c", "%a %U", "/root/e2e-admin.env")).StandardOutput);
        try
        {
            var anonymous = await cluster.RiverRunAsync("nodes");
            Assert.Equal(69, anonymous.ExitCode);
            Assert.Contains("requires a token", anonymous.StandardError, StringComparison.Ordinal);

            var node1Token = LastLine((await AsAsync(cluster, admin, "token", "create", "--role", "runner", "--name", "e2e-node1", "--node", "node1")).StandardOutput);
            var wrongToken = LastLine((await AsAsync(cluster, admin, "token", "create", "--role", "runner", "--name", "e2e-wrong", "--node", "node1")).StandardOutput);
            await SetTokenAsync(cluster, "node1", node1Token);
            // A refused Runner never becomes ready (it is READY once registered): do not wait for its start.
            await SetTokenAsync(cluster, "node2", wrongToken, "--no-block");

            // The audit lines say who tried what from where: node2's Runner, with a token for node1, is refused.
            var journal = await WaitForJournalAsync(cluster, "e2e-wrong (runner) tried to register as Runner node2", "e2e-node1 (runner) registered Runner node1");
            Assert.DoesNotContain(node1Token, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(wrongToken, journal, StringComparison.Ordinal);
            Assert.DoesNotContain(admin, journal, StringComparison.Ordinal);
            await WaitForAsync(cluster, admin, table => Connected("node1").IsMatch(table) && !Connected("node2").IsMatch(table));

            var revoke = await AsAsync(cluster, admin, "token", "revoke", "e2e-node1");
            Assert.Contains("1 open stream(s) closed", revoke.StandardOutput, StringComparison.Ordinal);
            await WaitForAsync(cluster, admin, table => !Connected("node1").IsMatch(table));
        }
        finally
        {
            foreach (var (node, text) in originals)
            {
                await cluster.Sandbox.ExecAsync(node, ["sh", "-c", $"umask 077 && printf '%s' \"$1\" > {EnvFile}", "sh", text]);
            }

            // Back to open access: revoke every token, the admin last.
            var list = await AsAsync(cluster, admin, "token", "list");
            foreach (Match row in TokenRow().Matches(list.StandardOutput))
            {
                if (row.Groups[1].Value is not ("NAME" or "e2e-admin"))
                {
                    await AsAsync(cluster, admin, "token", "revoke", row.Groups[1].Value);
                }
            }

            await AsAsync(cluster, admin, "token", "revoke", "e2e-admin");
            await cluster.Sandbox.ExecAsync("head", ["rm", "-f", "/root/e2e-admin.env"]);
            foreach (var node in originals.Keys)
            {
                await cluster.Sandbox.ExecAsync(node, ["systemctl", "restart", "riverrun-runner.service"]);
            }
        }

        await WaitForAsync(cluster, token: null, table => Connected("node1").IsMatch(table) && Connected("node2").IsMatch(table));
    }

    private static string LastLine(string text) => text.TrimEnd('\n').Split('\n')[^1].Trim();

    private static Regex Connected(string node) => new($@"^{Regex.Escape(node)}\s+yes\b", RegexOptions.Multiline);

    [GeneratedRegex(@"^(\S+)\s+(admin|user|runner|viewer)\b", RegexOptions.Multiline)]
    private static partial Regex TokenRow();

    private static Task<ProcessResult> AsAsync(ClusterFixture cluster, string? token, params string[] arguments)
    {
        var environment = new Dictionary<string, string>(cluster.Environment);
        if (token is not null)
        {
            environment["RIVERRUN_TOKEN"] = token;
        }

        return ProcessRunner.RunAsync(cluster.RiverRunExecutable, arguments, TimeSpan.FromMinutes(1), environment);
    }

    private static async Task SetTokenAsync(ClusterFixture cluster, string node, string token, params string[] restartOptions)
    {
        // Test only: the token passes as an argument of this one root exec; the unit reads it from the 0600 file.
        await cluster.Sandbox.ExecCheckedAsync(node, "sh", "-c", $"umask 077 && grep -v '^RIVERRUN_TOKEN=' {EnvFile} > {EnvFile}.new 2>/dev/null; printf 'RIVERRUN_TOKEN=%s\\n' \"$1\" >> {EnvFile}.new && mv {EnvFile}.new {EnvFile}", "sh", token);
        await cluster.Sandbox.ExecCheckedAsync(node, ["systemctl", "restart", .. restartOptions, "riverrun-runner.service"]);
    }

    private static async Task<string> WaitForJournalAsync(ClusterFixture cluster, params string[] lines)
    {
        var deadline = DateTime.UtcNow + Patience;
        string journal;
        do
        {
            journal = (await cluster.Sandbox.ExecCheckedAsync("head", "journalctl", "-u", "riverrun-host.service", "--no-pager", "-n", "1000")).StandardOutput;
            if (lines.All(line => journal.Contains(line, StringComparison.Ordinal)))
            {
                return journal;
            }

            await Task.Delay(500);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"the Host's journal did not show {string.Join(" and ", lines)} within {Patience}:\n{journal}");
    }

    private static async Task WaitForAsync(ClusterFixture cluster, string? token, Func<string, bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        string table;
        do
        {
            table = (await AsAsync(cluster, token, "nodes")).StandardOutput;
            if (condition(table))
            {
                return;
            }

            await Task.Delay(250);
        }
        while (DateTime.UtcNow < deadline);

        throw new TimeoutException($"the nodes did not reach the expected state within {Patience}:\n{table}");
    }
}
