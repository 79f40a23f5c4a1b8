using System.Net;
using System.Net.Sockets;
using RiverRun.Cli.Tests.Infrastructure;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class HostErrorTests
{
    [Fact]
    public async Task An_unreachable_Host_exits_69_with_one_line_saying_where_and_how_to_point_elsewhere()
    {
        var address = $"http://127.0.0.1:{UnusedPort()}";
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, address);

        var exitCode = await cli.RunAsync("run", "--", "true");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        var line = Assert.Single(cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith($"riverrun: cannot reach the Host at {address} (", line, StringComparison.Ordinal);
        Assert.EndsWith("is it running? Point elsewhere with --host URL or RIVERRUN_HOST=URL", line, StringComparison.Ordinal);
        Assert.Empty(cli.StdoutBytes);
    }

    [Fact]
    public async Task The_host_option_wins_over_the_environment()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.HostVariable, $"http://127.0.0.1:{UnusedPort()}");

        var exitCode = await cli.RunAsync("nodes", "--host", host.Address);

        Assert.Equal(0, exitCode);
        Assert.Equal(1, host.Nodes.CallCount);
    }

    [Fact]
    public async Task InvalidArgument_from_the_Host_exits_2_with_its_message()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.OnSubmit = _ => throw RpcErrors.InvalidArgument("targets[0].node: no node named 'nodeX' is registered");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "run", "--target", "nodeX", "--", "true");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal("riverrun: targets[0].node: no node named 'nodeX' is registered\n", cli.Stderr);
    }

    [Fact]
    public async Task Unavailable_sent_by_the_Host_itself_shows_its_reason_not_an_unreachable_Host()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.OnKill = _ => throw RpcErrors.Unavailable("the Runner of node 'node1' did not acknowledge the kill of task 0a1b2c3d4e5f within 20 s");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "kill", "0a1b2c3d4e5f");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("answered: the Runner of node 'node1' did not acknowledge", cli.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot reach", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kill_goes_on_with_the_other_ids_after_one_fails_and_exits_with_the_failure()
    {
        await using var host = await FakeHost.StartAsync();
        var killed = new List<string>();
        host.Tasks.OnKill = request =>
        {
            killed.Add(request.TaskId);
            return request.TaskId == "aaaaaaaaaaaa"
                ? throw RpcErrors.Unavailable("node 'node1' disconnected before acknowledging the kill")
                : new TaskInfo { Id = request.TaskId, State = TaskState.Killed };
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "kill", "aaaaaaaaaaaa", "bbbbbbbbbbbb");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Equal(["aaaaaaaaaaaa", "bbbbbbbbbbbb"], killed);
        Assert.Contains("bbbbbbbbbbbb", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_token_says_which_variable_holds_it()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.OnSubmit = _ => throw RpcErrors.Unauthenticated("no valid bearer token");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "submit", "--", "true");

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Contains("set RIVERRUN_TOKEN to a client token", cli.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_token_is_sent_as_a_bearer_token()
    {
        await using var host = await FakeHost.StartAsync();
        string? seen = null;
        host.Tasks.OnWatch = (request, writer, context) =>
        {
            seen = context.RequestHeaders.GetValue("authorization");
            return Task.CompletedTask;
        };
        var cli = new CliRun();
        cli.SetEnvironment(HostConnection.TokenVariable, "client-secret");

        await cli.RunAsync(host, "logs", FakeTasks.Id(1));

        Assert.Equal("Bearer client-secret", seen);
    }

    [Theory]
    [InlineData(null, null, "http://127.0.0.1:8700")]
    [InlineData(null, "http://head:8700/", "http://head:8700")]
    [InlineData("https://head:9000", "http://other:8700", "https://head:9000")]
    [InlineData("head:8700", null, "http://head:8700")]
    public void The_address_comes_from_the_option_then_the_environment_then_the_default(string? option, string? variable, string expected)
    {
        Assert.Equal(expected, HostConnection.ResolveAddress(option, variable).Address);
    }

    [Fact]
    public async Task A_malformed_Host_address_is_a_usage_error()
    {
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("nodes", "--host", "ftp://head");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith("riverrun: --host 'ftp://head' is not a Host address; use http://HOST:PORT", cli.Stderr, StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
