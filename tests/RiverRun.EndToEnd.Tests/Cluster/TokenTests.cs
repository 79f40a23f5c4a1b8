using System.Text.RegularExpressions;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// Tokens on the installed services, as `sandbox up` turns them on (README, Security): the first
/// admin token from `riverrun init token`, a runner token bound to each node in its environment
/// file; a runner token bound to another node is refused, and revoking a token cuts its Runner
/// off at once. Ends with the sandbox's own tokens in place again, as the other tests expect.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed partial class TokenTests(ClusterFixture fixture)
{
    private const string EnvFile = "/etc/riverrun/riverrun.env";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task The_sandbox_turns_tokens_on_as_the_README_says_and_a_call_without_a_token_is_refused()
    {
        var cluster = fixture.Ready();

        var adminFile = Path.Combine(cluster.Sandbox.StateDirectory, "admin.token");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(adminFile));
        Assert.Matches("^rr_", cluster.AdminToken);
        var anonymous = await cluster.RiverRunAsAsync(null, "nodes");
        Assert.Equal(69, anonymous.ExitCode);
        Assert.Contains("requires a token", anonymous.StandardError, StringComparison.Ordinal);

        var list = await cluster.RiverRunAsync("token", "list");
        Assert.True(list.ExitCode == 0, list.ToString());
        // The first admin's tasks default to root: `init token`'s explicit choice, shown in the list.
        Assert.Matches(new Regex(@"^admin\s+admin\s+-\s+root\s", RegexOptions.Multiline), list.StandardOutput);
        foreach (var node in new[] { "node1", "node2" })
        {
            Assert.Matches(new Regex($@"^runner-{node}\s+runner\s+{node}\s+-\s", RegexOptions.Multiline), list.StandardOutput);
            Assert.Equal("600 root\n", (await cluster.Sandbox.ExecCheckedAsync(node, "stat", "-c", "%a %U", EnvFile)).StandardOutput);
            var line = (await cluster.Sandbox.ExecCheckedAsync(node, "grep", "-c", "^RIVERRUN_TOKEN=rr_", EnvFile)).StandardOutput;
            Assert.Equal("1\n", line);
        }

        Assert.DoesNotContain(cluster.AdminToken, list.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_Runner_speaks_only_for_its_own_node_and_is_cut_off_when_its_token_is_revoked()
    {
        var cluster = fixture.Ready();
        var admin = cluster.AdminToken;
        var originals = new Dictionary<string, string>();
        foreach (var node in new[] { "node1", "node2" })
        {
            originals[node] = (await cluster.Sandbox.ExecCheckedAsync(node, "cat", EnvFile)).StandardOutput;
        }

        try
        {
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
            // The sandbox's own runner tokens back in place; the test's tokens gone.
            foreach (var (node, text) in originals)
            {
                await cluster.Sandbox.ExecAsync(node, ["sh", "-c", $"umask 077 && printf '%s' \"$1\" > {EnvFile}", "sh", text]);
                await cluster.Sandbox.ExecAsync(node, ["systemctl", "restart", "--no-block", "riverrun-runner.service"]);
            }

            var list = await AsAsync(cluster, admin, "token", "list");
            foreach (Match row in TokenRow().Matches(list.StandardOutput))
            {
                if (row.Groups[1].Value.StartsWith("e2e-", StringComparison.Ordinal))
                {
                    await AsAsync(cluster, admin, "token", "revoke", row.Groups[1].Value);
                }
            }
        }

        await WaitForAsync(cluster, admin, table => Connected("node1").IsMatch(table) && Connected("node2").IsMatch(table));
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
