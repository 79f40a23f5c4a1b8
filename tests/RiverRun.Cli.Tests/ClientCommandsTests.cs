using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Tests.Infrastructure;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class ClientCommandsTests
{
    [Fact]
    public async Task Submit_prints_one_task_id_per_target_and_returns_without_watching()
    {
        await using var host = await FakeHost.StartAsync();
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "submit", "--target", "node1", "--target", "node2:1", "--memory", "512M", "--", "bench");

        Assert.Equal(0, exitCode);
        Assert.Equal($"{FakeTasks.Id(100)}\n{FakeTasks.Id(101)}\n", cli.Stdout);
        var request = Assert.Single(host.Tasks.Submits);
        Assert.Equal(["node1", "node2"], request.Targets.Select(t => t.Node));
        Assert.Equal(512L << 20, request.Spec.Resources.MemoryBytes);
        Assert.Empty(host.Tasks.Watches);
        Assert.Empty(cli.StderrBytes);
    }

    [Fact]
    public async Task Submit_with_follow_behaves_like_run()
    {
        await using var host = await FakeHost.StartAsync();
        var id = FakeTasks.Id(100);
        host.Tasks.Scripts[id] = new TaskScript { Final = TaskScript.Ended(id, TaskState.Failed, exitCode: 7), Stdout = "x"u8.ToArray() };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "submit", "--follow", "--", "job");

        Assert.Equal(7, exitCode);
        Assert.Equal("x", cli.Stdout);
    }

    [Fact]
    public async Task Status_prints_the_task_as_aligned_key_value_lines()
    {
        await using var host = await FakeHost.StartAsync();
        var id = FakeTasks.Id(3);
        host.Tasks.Known[id] = new TaskInfo
        {
            Id = id, State = TaskState.Running, Node = "node2", Unit = $"riverrun-{id}.scope",
            Spec = new TaskSpec { Argv = { "sleep", "100" } },
            CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "status", id);

        Assert.Equal(0, exitCode);
        var lines = cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["ID", "State", "Owner", "Node", "Unit", "Exit", "Command", "Resources", "Created", "Started", "Finished", "CPU time", "Peak memory", "Reason"], lines.Select(l => l[..l.IndexOf(':', StringComparison.Ordinal)]));
        Assert.Equal("State:       RUNNING", lines[1]);
        Assert.Equal("Command:     sleep 100", lines[6]);
        Assert.Equal("Resources:   any cores, any memory", lines[7]);
        // Values start after the longest key, "Peak memory:", and one space.
        Assert.All(lines, line => Assert.Equal(' ', line[12]));
    }

    [Fact]
    public async Task List_sends_the_filters_and_follows_pages_up_to_the_limit()
    {
        await using var host = await FakeHost.StartAsync();
        host.Tasks.OnList = request =>
        {
            var page = new ListTasksResponse { NextPageToken = request.PageToken.Length == 0 ? "page2" : string.Empty };
            var first = request.PageToken.Length == 0 ? 9 : 6;
            for (var i = 0; i < 3; i++)
            {
                page.Tasks.Add(new TaskInfo { Id = FakeTasks.Id(first - i), State = TaskState.Running, Node = "node1", Spec = new TaskSpec { Argv = { "job", $"{first - i}" } } });
            }

            return page;
        };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "list", "--state", "running", "--state", "oom-killed", "--node", "node1", "--limit", "5");

        Assert.Equal(0, exitCode);
        var requests = host.Tasks.Lists.ToArray();
        Assert.Equal([TaskState.Running, TaskState.OomKilled], requests[0].States);
        Assert.Equal("node1", requests[0].Node);
        Assert.Equal([5, 2], requests.Select(r => r.PageSize));
        var lines = cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^ID\s+STATE\s+NODE\s+OWNER\s+CREATED\s+COMMAND$", lines[0]);
        Assert.Equal([9, 8, 7, 6, 5], lines.Skip(1).Select(l => int.Parse(l[1..12], System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Kill_prints_each_resulting_state_and_reports_an_unknown_id_without_stopping()
    {
        await using var host = await FakeHost.StartAsync();
        var known = FakeTasks.Id(1);
        var unknown = FakeTasks.Id(2);
        host.Tasks.Known[known] = new TaskInfo { Id = known, State = TaskState.Running };
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "kill", unknown, known, "--grace", "30s");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"{known} KILLED\n", cli.Stdout);
        Assert.Equal($"riverrun: task {unknown} does not exist\n", cli.Stderr);
        Assert.All(host.Tasks.Kills, kill => Assert.Equal(TimeSpan.FromSeconds(30), kill.GracePeriod.ToTimeSpan()));
    }

    [Fact]
    public async Task Pause_and_resume_print_the_new_state_and_a_refused_pause_is_one_line()
    {
        await using var host = await FakeHost.StartAsync();
        var id = FakeTasks.Id(4);
        host.Tasks.Known[id] = new TaskInfo { Id = id, State = TaskState.Running };
        var pause = new CliRun();
        var resume = new CliRun();
        var refused = new CliRun();

        Assert.Equal(0, await pause.RunAsync(host, "pause", id));
        Assert.Equal(0, await resume.RunAsync(host, "resume", id));
        host.Tasks.Known[id] = new TaskInfo { Id = id, State = TaskState.Succeeded };
        Assert.Equal(ExitCodes.Usage, await refused.RunAsync(host, "pause", id));

        Assert.Equal($"{id} PAUSED\n", pause.Stdout);
        Assert.Equal($"{id} RUNNING\n", resume.Stdout);
        Assert.Equal($"riverrun: task {id} is not RUNNING, so it cannot be paused\n", refused.Stderr);
    }

    [Fact]
    public async Task Nodes_prints_a_table_that_scripts_can_grep()
    {
        await using var host = await FakeHost.StartAsync();
        host.Nodes.Nodes.Add(new NodeInfo
        {
            Name = "node1", Connected = true, RunningTasks = 1,
            Capacity = new Resources { Cores = 4, MemoryBytes = 8L << 30 },
            Allocated = new Resources { Cores = 2, MemoryBytes = 4L << 30 },
            LastHeartbeat = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
        });
        host.Nodes.Nodes.Add(new NodeInfo { Name = "node2", Connected = false, Capacity = new Resources { Cores = 2, MemoryBytes = 2L << 30 } });
        var cli = new CliRun();

        var exitCode = await cli.RunAsync(host, "nodes");

        Assert.Equal(0, exitCode);
        var lines = cli.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Matches(@"^NAME\s+CONNECTED\s+CORES\s+MEMORY\s+RUNNING\s+LAST-HEARTBEAT$", lines[0]);
        Assert.Matches(@"^node1\s+yes\s+2/4\s+4G/8G\s+1\s+\ds ago$", lines[1]);
        Assert.Matches(@"^node2\s+no\s+0/2\s+0/2G\s+0\s+never$", lines[2]);
    }

    [Fact]
    public async Task Help_is_available_on_every_command_with_an_example()
    {
        var root = CliApp.BuildRootCommand(new Commands.CommandServices(new CliRun().Context));

        foreach (var command in root.Subcommands.Select(c => c.Name).Prepend(string.Empty))
        {
            var cli = new CliRun();
            string[] args = command.Length == 0 ? ["--help"] : [command, "--help"];

            var exitCode = await cli.RunAsync(args);

            Assert.Equal(0, exitCode);
            Assert.Contains("Usage:", cli.Stdout, StringComparison.Ordinal);
            Assert.Matches(@"Examples?:\n\s+riverrun ", cli.Stdout);
        }
    }

    [Fact]
    public async Task Help_of_run_documents_the_exit_codes_and_the_size_units()
    {
        var cli = new CliRun();

        await cli.RunAsync("run", "--help");

        Assert.Contains(ExitCodes.HelpText.Trim(), cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("powers of 1024", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_of_host_explains_when_a_disconnected_nodes_tasks_are_given_up()
    {
        var cli = new CliRun();

        await cli.RunAsync("host", "--help");

        Assert.Contains("--node-lost-after", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("[default: 10m]", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("end LOST", cli.Stdout, StringComparison.Ordinal);
    }
}
