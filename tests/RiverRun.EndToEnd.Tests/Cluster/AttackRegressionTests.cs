using System.Globalization;
using System.Text.RegularExpressions;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RiverRun.EndToEnd.Tests.Infrastructure;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.EndToEnd.Tests.Cluster;

/// <summary>
/// The attacks of issue 8, tried again on the real services with tokens on (as `sandbox up`
/// leaves them), each now failing: anonymous calls, calls outside a role, a Runner token posing
/// as another node, a case-changed path, a revoked token's open stream, one user reading or
/// controlling another's task, tasks as root by accident, readable Host files, an endless grace
/// period, and argv large enough to break listings. The full RPC × role table runs against an
/// in-process Host (RiverRun.Host.Tests, TokenIntegrationTests); here each role has one
/// representative.
/// </summary>
[Collection(ClusterTestGroup.Name)]
public sealed partial class AttackRegressionTests(ClusterFixture fixture)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Every_RPC_without_a_token_is_Unauthenticated_and_each_role_is_refused_what_it_may_not_call()
    {
        var cluster = fixture.Ready();
        using var anonymous = new HostGrpc(cluster, token: null);
        foreach (var (rpc, call) in EveryRpc())
        {
            var refused = await Assert.ThrowsAsync<RpcException>(() => call(anonymous));
            Assert.True(refused.StatusCode == StatusCode.Unauthenticated, $"{rpc} without a token: {refused.Status}");
        }

        var user = await CreateTokenAsync(cluster, "user", "e2e-role-user");
        var viewer = await CreateTokenAsync(cluster, "viewer", "e2e-role-viewer");
        var runner = await CreateTokenAsync(cluster, "runner", "e2e-role-runner", "--node", "node1");
        try
        {
            using var asUser = new HostGrpc(cluster, user);
            using var asViewer = new HostGrpc(cluster, viewer);
            using var asRunner = new HostGrpc(cluster, runner);
            using var asAdmin = new HostGrpc(cluster, cluster.AdminToken);

            // What each may do works...
            await asUser.Tasks.ListAsync(new V1.ListTasksRequest());
            await asViewer.Nodes.ListAsync(new V1.ListNodesRequest());
            await asAdmin.Tokens.ListAsync(new V1.ListTokensRequest());
            // ...and one thing outside each role is PermissionDenied, naming the role it would need.
            await AssertDeniedAsync(() => asUser.Tokens.ListAsync(new V1.ListTokensRequest()).ResponseAsync, "admin");
            await AssertDeniedAsync(() => asViewer.Tasks.SubmitAsync(Spec("true")).ResponseAsync, "user");
            await AssertDeniedAsync(() => asRunner.Tasks.ListAsync(new V1.ListTasksRequest()).ResponseAsync, "viewer");
            await AssertDeniedAsync(() => asViewer.Tasks.KillAsync(new V1.KillRequest { TaskId = "t-none" }).ResponseAsync, "admin");
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-role-user", "e2e-role-viewer", "e2e-role-runner");
        }
    }

    [Fact]
    public async Task A_Runner_without_a_token_is_told_Unauthenticated_every_time_not_a_bare_reset()
    {
        // The Host refuses Connect at once and resets the stream while the Runner is still writing
        // Register: what the Runner reads must be the Host's answer, whichever arrives first.
        var cluster = fixture.Ready();
        using var anonymous = new HostGrpc(cluster, token: null);
        for (var attempt = 1; attempt <= 50; attempt++)
        {
            using var call = anonymous.Runners.Connect();
            var refused = await Assert.ThrowsAsync<RpcException>(() => HostGrpc.RegisterAsync(call, "node1"));
            Assert.True(refused.StatusCode == StatusCode.Unauthenticated, $"attempt {attempt}: {refused.Status}");
        }
    }

    [Fact]
    public async Task A_runner_token_for_node1_cannot_register_as_node2_a_user_token_cannot_connect_at_all_and_an_admin_can()
    {
        var cluster = fixture.Ready();
        var runner = await CreateTokenAsync(cluster, "runner", "e2e-imp-runner", "--node", "node1");
        var user = await CreateTokenAsync(cluster, "user", "e2e-imp-user");
        try
        {
            using (var asRunner = new HostGrpc(cluster, runner))
            using (var call = asRunner.Runners.Connect())
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => HostGrpc.RegisterAsync(call, "node2"));
                Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
                Assert.Contains("node1", refused.Status.Detail, StringComparison.Ordinal);
            }

            using (var asUser = new HostGrpc(cluster, user))
            using (var call = asUser.Runners.Connect())
            {
                var refused = await Assert.ThrowsAsync<RpcException>(() => HostGrpc.RegisterAsync(call, "node2"));
                Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
            }

            // The real node2 was never replaced: still connected, still its own Runner.
            var nodes = await cluster.RiverRunAsync("nodes");
            Assert.Matches(new Regex(@"^node2\s+yes\b", RegexOptions.Multiline), nodes.StandardOutput);

            using (var asAdmin = new HostGrpc(cluster, cluster.AdminToken))
            using (var call = asAdmin.Runners.Connect())
            {
                var answer = await HostGrpc.RegisterAsync(call, "e2e-admin-runner");
                Assert.Equal(V1.HostMessage.MessageOneofCase.Registered, answer.MessageCase);
                await call.RequestStream.CompleteAsync();
            }

            var journal = (await cluster.Sandbox.ExecCheckedAsync("head", "journalctl", "-u", "riverrun-host.service", "--no-pager", "-n", "2000")).StandardOutput;
            Assert.Contains("e2e-imp-runner (runner) tried to register as Runner node2", journal, StringComparison.Ordinal);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-imp-runner", "e2e-imp-user");
        }
    }

    [Fact]
    public async Task The_case_changed_path_RIVERRUN_V1_RUNNERS_CONNECT_does_not_reach_Connect_as_a_client_call()
    {
        var cluster = fixture.Ready();
        var user = await CreateTokenAsync(cluster, "user", "e2e-case-user");
        try
        {
            using var asUser = new HostGrpc(cluster, user);
            var method = new Method<V1.RunnerMessage, V1.HostMessage>(
                MethodType.DuplexStreaming, "RIVERRUN.V1.RUNNERS", "CONNECT",
                Marshallers.Create(m => Google.Protobuf.MessageExtensions.ToByteArray(m), V1.RunnerMessage.Parser.ParseFrom),
                Marshallers.Create(m => Google.Protobuf.MessageExtensions.ToByteArray(m), V1.HostMessage.Parser.ParseFrom));
            using var call = asUser.Invoker.AsyncDuplexStreamingCall(method, null, new CallOptions());

            var refused = await Assert.ThrowsAsync<RpcException>(() => HostGrpc.RegisterAsync(call, "node2"));

            // Routing refuses the odd path, or it reaches Connect and is judged as Connect: never as a client call.
            Assert.True(refused.StatusCode is StatusCode.PermissionDenied or StatusCode.Unimplemented, refused.Status.ToString());
            var nodes = await cluster.RiverRunAsync("nodes");
            Assert.Matches(new Regex(@"^node2\s+yes\b", RegexOptions.Multiline), nodes.StandardOutput);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-case-user");
        }
    }

    [Fact]
    public async Task A_revoked_token_stops_at_once_also_on_a_stream_that_is_already_open()
    {
        var cluster = fixture.Ready();
        await EnsureAccountAsync(cluster, "node1", "rrcarol");
        var carol = await CreateTokenAsync(cluster, "user", "e2e-carol", "--accounts", "rrcarol");
        string? taskId = null;
        try
        {
            taskId = (await SubmitAsAsync(cluster, carol, "--target", "node1", "--", "sh", "-c", "echo started; sleep 120"))[0];
            await cluster.WaitForStateAsync(taskId, Patience, "RUNNING");
            using var asCarol = new HostGrpc(cluster, carol);
            using var watch = asCarol.Tasks.WatchOutput(new V1.WatchOutputRequest { TaskId = taskId, Follow = true });
            using var timeout = new CancellationTokenSource(Patience);
            Assert.True(await watch.ResponseStream.MoveNext(timeout.Token), "the watch delivered nothing before the revoke");

            var revoke = await cluster.RiverRunAsync("token", "revoke", "e2e-carol");
            Assert.True(revoke.ExitCode == 0, revoke.ToString());
            Assert.Contains("1 open stream(s) closed", revoke.StandardOutput, StringComparison.Ordinal);

            // The open stream ends with an error within seconds (the Host ends it, not our own
            // timeout), though the task still runs.
            using var soon = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            RpcException? ended = null;
            try
            {
                while (await watch.ResponseStream.MoveNext(soon.Token))
                {
                }
            }
            catch (RpcException ex)
            {
                ended = ex;
            }

            Assert.False(soon.IsCancellationRequested, "the watch was still open 20 s after its token was revoked");
            Assert.True(ended is not null, "the watch ended cleanly, as if the task had ended");
            Assert.Equal("RUNNING", (await cluster.StatusAsync(taskId))["State"]);
            var after = await cluster.RiverRunAsAsync(carol, "list");
            Assert.Equal(69, after.ExitCode);
            Assert.Contains("not known to this Host", after.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-carol");
            if (taskId is not null)
            {
                await cluster.RiverRunAsync("kill", taskId, "--grace", "1s");
            }
        }
    }

    [Fact]
    public async Task User_A_cannot_see_the_output_of_kill_pause_or_resume_user_Bs_task_and_sees_only_id_owner_and_state()
    {
        var cluster = fixture.Ready();
        await EnsureAccountAsync(cluster, "node1", "rralice");
        await EnsureAccountAsync(cluster, "node1", "rrbob");
        var alice = await CreateTokenAsync(cluster, "user", "e2e-alice", "--accounts", "rralice");
        var bob = await CreateTokenAsync(cluster, "user", "e2e-bob", "--accounts", "rrbob");
        string? taskId = null;
        try
        {
            taskId = (await SubmitAsAsync(cluster, bob, "--target", "node1", "--", "sh", "-c", "echo bob-secret-output; sleep 120"))[0];
            await cluster.WaitForStateAsync(taskId, Patience, "RUNNING");

            foreach (var attempt in new[] { new[] { "logs", taskId }, ["kill", taskId], ["pause", taskId], ["resume", taskId] })
            {
                var refused = await cluster.RiverRunAsAsync(alice, attempt);
                Assert.True(refused.ExitCode == 69, $"{attempt[0]}: {refused}");
                Assert.Contains("a user token controls only the tasks it submitted", refused.StandardError, StringComparison.Ordinal);
                Assert.DoesNotContain("bob-secret-output", refused.StandardOutput, StringComparison.Ordinal);
            }

            using var asAlice = new HostGrpc(cluster, alice);
            var seen = await asAlice.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = taskId });
            Assert.Equal(new V1.TaskInfo { Id = taskId, Owner = "e2e-bob", State = V1.TaskState.Running }, seen);
            var listed = (await asAlice.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks.Single(t => t.Id == taskId);
            Assert.Equal(seen, listed);

            // Bob's task is untouched, and Bob himself reads it.
            Assert.Equal("RUNNING", (await cluster.StatusAsync(taskId))["State"]);
            var own = await cluster.RiverRunAsAsync(bob, "logs", taskId);
            Assert.Contains("bob-secret-output", own.StandardOutput, StringComparison.Ordinal);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-alice", "e2e-bob");
            if (taskId is not null)
            {
                await cluster.RiverRunAsync("kill", taskId, "--grace", "1s");
            }
        }
    }

    [Fact]
    public async Task A_user_tokens_task_runs_as_its_account_never_as_root_and_an_unknown_account_fails_the_launch_clearly()
    {
        var cluster = fixture.Ready();
        await EnsureAccountAsync(cluster, "node1", "rrdave");
        await EnsureAccountAsync(cluster, "node1", "rrlab");
        var uid = (await cluster.Sandbox.ExecCheckedAsync("node1", "id", "-u", "rrdave")).StandardOutput.Trim();
        var labUid = (await cluster.Sandbox.ExecCheckedAsync("node1", "id", "-u", "rrlab")).StandardOutput.Trim();
        var dave = await CreateTokenAsync(cluster, "user", "e2e-dave", "--accounts", "rrdave,rrlab");
        try
        {
            var list = await cluster.RiverRunAsync("token", "list");
            Assert.Matches(new Regex(@"^e2e-dave\s+user\s+-\s+rrdave,rrlab\s", RegexOptions.Multiline), list.StandardOutput);

            // No --user: the token's first account, not root.
            var run = await cluster.RiverRunAsAsync(dave, "run", "--target", "node1", "--", "id", "-u");
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Equal(uid + "\n", run.StandardOutput);
            Assert.NotEqual("0", uid);
            var lab = await cluster.RiverRunAsAsync(dave, "run", "--target", "node1", "--user", "rrlab", "--", "id", "-u");
            Assert.Equal(labUid + "\n", lab.StandardOutput);

            // root, by name or uid, and accounts not its own are refused before anything is created.
            using var asAdmin = new HostGrpc(cluster, cluster.AdminToken);
            var before = (await asAdmin.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1000 })).Tasks.Count;
            foreach (var user in new[] { "root", "0" })
            {
                var root = await cluster.RiverRunAsAsync(dave, "submit", "--target", "node1", "--user", user, "--", "id", "-u");
                Assert.True(root.ExitCode == 69, root.ToString());
                Assert.Contains("never runs tasks as root", root.StandardError, StringComparison.Ordinal);
            }

            var other = await cluster.RiverRunAsAsync(dave, "submit", "--target", "node1", "--user", "rralice", "--", "true");
            Assert.True(other.ExitCode == 69, other.ToString());
            Assert.Contains("may run tasks as rrdave, rrlab, not as 'rralice'", other.StandardError, StringComparison.Ordinal);
            Assert.Equal(before, (await asAdmin.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1000 })).Tasks.Count);

            // The audit line names the account.
            var journal = (await cluster.Sandbox.ExecCheckedAsync("head", "journalctl", "-u", "riverrun-host.service", "--no-pager", "-n", "2000")).StandardOutput;
            Assert.Matches(new Regex(@"Audit: e2e-dave \(user\) submitted task\(s\) \S+ to run as rrdave from "), journal);

            // The admin token `init token` made runs tasks as root unless --user says otherwise:
            // the explicit choice README documents.
            var admin = await cluster.RiverRunAsync("run", "--target", "node1", "--", "id", "-u");
            Assert.Equal("0\n", admin.StandardOutput);

            // The Runner checks the account exists on the node before launching.
            var missing = (await cluster.SubmitAsync("--target", "node1", "--user", "rrnosuchuser", "--", "true"))[0];
            var status = await cluster.WaitForStateAsync(missing, Patience, "LAUNCH_FAILED");
            Assert.Contains("No such user on this node: 'rrnosuchuser'", status["Reason"], StringComparison.Ordinal);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-dave");
        }
    }

    [Fact]
    public async Task A_non_root_user_on_the_Hosts_machine_cannot_read_the_database_its_WAL_or_any_output()
    {
        var cluster = fixture.Ready();
        var taskId = (await cluster.SubmitAsync("--target", "node1", "--", "echo", "private-output"))[0];
        await cluster.WaitForStateAsync(taskId, Patience, "SUCCEEDED");
        // /var/lib/riverrun is the Host's DynamicUser state directory (a link into /var/lib/private).
        var data = (await cluster.Sandbox.ExecCheckedAsync("head", "readlink", "-f", "/var/lib/riverrun")).StandardOutput.Trim();
        string[] files = [$"{data}/riverrun.db", $"{data}/riverrun.db-wal", $"{data}/output/{taskId}/stdout"];
        foreach (var file in files)
        {
            Assert.True((await cluster.Sandbox.ExecAsync("head", ["test", "-f", file])).ExitCode == 0, $"{file} does not exist");
            // setpriv, not runuser: no PAM session, which a minimal node cannot open.
            var read = await cluster.Sandbox.ExecAsync("head", ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "cat", file]);
            Assert.True(read.ExitCode != 0, $"nobody read {file}: {read}");
            Assert.Contains("Permission denied", read.StandardError, StringComparison.Ordinal);
        }

        // Not only the 0700 /var/lib/private in front: nothing in the data directory itself is open to group or others.
        var open = await cluster.Sandbox.ExecCheckedAsync("head", "find", data, "-perm", "/go=rwx", "-printf", "%m %p\n");
        Assert.Equal(string.Empty, open.StandardOutput);
        var mode = await cluster.Sandbox.ExecCheckedAsync("head", "stat", "-c", "%a", data, files[0], files[2]);
        Assert.Equal("700\n600\n600\n", mode.StandardOutput);
    }

    [Fact]
    public async Task A_kill_with_an_endless_grace_period_is_refused_before_anything_reaches_the_Runner()
    {
        var cluster = fixture.Ready();
        var taskId = (await cluster.SubmitAsync("--target", "node1", "--", "sleep", "120"))[0];
        try
        {
            await cluster.WaitForStateAsync(taskId, Patience, "RUNNING");
            using var asAdmin = new HostGrpc(cluster, cluster.AdminToken);

            var refused = await Assert.ThrowsAsync<RpcException>(() => asAdmin.Tasks.KillAsync(new V1.KillRequest
            {
                TaskId = taskId,
                GracePeriod = new Duration { Seconds = 10_000L * 365 * 24 * 3600 },
            }).ResponseAsync);

            Assert.Equal(StatusCode.InvalidArgument, refused.StatusCode);
            Assert.Contains("grace", refused.Status.Detail, StringComparison.OrdinalIgnoreCase);
            await Task.Delay(TimeSpan.FromSeconds(2));
            Assert.Equal("RUNNING", (await cluster.StatusAsync(taskId))["State"]);
            var active = await cluster.Sandbox.ExecAsync("node1", ["systemctl", "is-active", $"riverrun-{taskId}.scope"]);
            Assert.Equal("active\n", active.StandardOutput);
        }
        finally
        {
            await cluster.RiverRunAsync("kill", taskId, "--grace", "1s");
        }
    }

    [Fact]
    public async Task Three_submits_of_a_mebibyte_of_argv_run_and_list_still_works_for_every_role_while_a_larger_one_is_refused()
    {
        var cluster = fixture.Ready();
        var viewer = await CreateTokenAsync(cluster, "viewer", "e2e-big-viewer");
        var user = await CreateTokenAsync(cluster, "user", "e2e-big-user");
        try
        {
            // 7 arguments of 130,000 bytes (each under the 131,071-byte limit of one argument), ~0.9 MiB in all:
            // the largest start command the Host lets through must still fit the Runner's stream.
            var big = Enumerable.Range(0, 7).Select(i => new string((char)('a' + i), 130_000)).ToArray();
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                ids.AddRange(await cluster.SubmitAsync(["--target", "node1", "--", "true", .. big]));
            }

            foreach (var id in ids)
            {
                var status = await cluster.WaitForStateAsync(id, Patience, "SUCCEEDED", "FAILED", "LAUNCH_FAILED");
                Assert.True(status["State"] == "SUCCEEDED", $"{id}: {string.Join(", ", status)}");
            }

            var tooBig = await cluster.RiverRunAsync(["submit", "--target", "node1", "--", "true", .. big, big[0], big[1]]);
            Assert.Equal(2, tooBig.ExitCode);
            Assert.Contains("(1 MiB)", tooBig.StandardError, StringComparison.Ordinal);

            foreach (var token in new[] { cluster.AdminToken, viewer, user })
            {
                var list = await cluster.RiverRunAsAsync(token, "list", "--limit", "1000");
                Assert.True(list.ExitCode == 0, list.ToString());
                Assert.Contains(ids[2], list.StandardOutput, StringComparison.Ordinal);
            }

            Assert.Matches(new Regex(@"^node1\s+yes\b", RegexOptions.Multiline), (await cluster.RiverRunAsync("nodes")).StandardOutput);
        }
        finally
        {
            await RevokeAsync(cluster, "e2e-big-viewer", "e2e-big-user");
        }
    }

    private static V1.SubmitRequest Spec(params string[] argv)
    {
        var spec = new V1.TaskSpec();
        spec.Argv.AddRange(argv);
        return new V1.SubmitRequest { Spec = spec };
    }

    /// <summary>One call of every RiverRun RPC, with harmless arguments.</summary>
    private static IEnumerable<(string Rpc, Func<HostGrpc, Task> Call)> EveryRpc() =>
    [
        ("Tasks/Submit", h => h.Tasks.SubmitAsync(Spec("true")).ResponseAsync),
        ("Tasks/Get", h => h.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = "t-none" }).ResponseAsync),
        ("Tasks/List", h => h.Tasks.ListAsync(new V1.ListTasksRequest()).ResponseAsync),
        ("Tasks/WatchOutput", async h =>
        {
            using var call = h.Tasks.WatchOutput(new V1.WatchOutputRequest { TaskId = "t-none" });
            await call.ResponseStream.MoveNext();
        }),
        ("Tasks/Kill", h => h.Tasks.KillAsync(new V1.KillRequest { TaskId = "t-none" }).ResponseAsync),
        ("Tasks/Pause", h => h.Tasks.PauseAsync(new V1.PauseRequest { TaskId = "t-none" }).ResponseAsync),
        ("Tasks/Resume", h => h.Tasks.ResumeAsync(new V1.ResumeRequest { TaskId = "t-none" }).ResponseAsync),
        ("Nodes/List", h => h.Nodes.ListAsync(new V1.ListNodesRequest()).ResponseAsync),
        ("Tokens/Create", h => h.Tokens.CreateAsync(new V1.CreateTokenRequest { Name = "e2e-anon", Role = V1.TokenRole.Admin }).ResponseAsync),
        ("Tokens/List", h => h.Tokens.ListAsync(new V1.ListTokensRequest()).ResponseAsync),
        ("Tokens/Revoke", h => h.Tokens.RevokeAsync(new V1.RevokeTokenRequest { Name = "admin" }).ResponseAsync),
        ("Runners/Connect", async h =>
        {
            using var call = h.Runners.Connect();
            await HostGrpc.RegisterAsync(call, "node1");
        }),
    ];

    private static async Task AssertDeniedAsync(Func<Task> call, string neededRole)
    {
        var refused = await Assert.ThrowsAsync<RpcException>(call);
        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(neededRole, refused.Status.Detail, StringComparison.Ordinal);
    }

    private static async Task<string> CreateTokenAsync(ClusterFixture cluster, string role, string name, params string[] options)
    {
        var created = await cluster.RiverRunAsync(["token", "create", "--role", role, "--name", name, .. options]);
        Assert.True(created.ExitCode == 0, created.ToString());
        var token = created.StandardOutput.TrimEnd('\n').Split('\n')[^1].Trim();
        Assert.StartsWith("rr_", token, StringComparison.Ordinal);
        return token;
    }

    private static async Task RevokeAsync(ClusterFixture cluster, params string[] names)
    {
        foreach (var name in names)
        {
            // Quietly: a test may have revoked it already.
            await cluster.RiverRunAsync("token", "revoke", name);
        }
    }

    private static async Task<IReadOnlyList<string>> SubmitAsAsync(ClusterFixture cluster, string token, params string[] arguments)
    {
        var result = await cluster.RiverRunAsAsync(token, ["submit", .. arguments]);
        Assert.True(result.ExitCode == 0, result.ToString());
        return result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>An OS account in the node (its own /etc/passwd), made once: what an admin does before giving a user a token.</summary>
    private static async Task EnsureAccountAsync(ClusterFixture cluster, string node, string account) =>
        await cluster.Sandbox.ExecCheckedAsync(node, "sh", "-c",
            string.Create(CultureInfo.InvariantCulture, $"id -u {account} >/dev/null 2>&1 || useradd --no-create-home --shell /usr/sbin/nologin {account}"));
}
