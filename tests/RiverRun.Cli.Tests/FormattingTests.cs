using Google.Protobuf.WellKnownTypes;
using RiverRun.Cli.Output;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class FormattingTests
{
    private static readonly DateTimeOffset Now = new(2025, 11, 22, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_table_aligns_its_columns_with_two_spaces_and_no_trailing_blanks()
    {
        var table = new TextTable("NAME", "STATE", "COMMAND");
        table.AddRow("a", "RUNNING", "sleep 1");
        table.AddRow("longer-name", "QUEUED", "x");

        var lines = table.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "NAME         STATE    COMMAND",
                "a            RUNNING  sleep 1",
                "longer-name  QUEUED   x",
            ],
            lines);
    }

    [Fact]
    public void A_row_with_the_wrong_number_of_cells_is_refused()
    {
        var table = new TextTable("A", "B");

        Assert.Throws<ArgumentException>(() => table.AddRow("only one"));
    }

    [Fact]
    public void The_nodes_table_has_exactly_the_documented_columns_in_order()
    {
        var text = NodePrinter.Table([], Now);

        Assert.Equal(["NAME", "CONNECTED", "CORES", "MEMORY", "RUNNING", "LAST-HEARTBEAT"], text.Trim().Split("  ", StringSplitOptions.RemoveEmptyEntries));
    }

    [Fact]
    public void A_node_row_shows_yes_or_no_allocated_over_total_short_sizes_and_heartbeat_age()
    {
        NodeInfo[] nodes =
        [
            new()
            {
                Name = "node1", Connected = true, RunningTasks = 2,
                Capacity = new Resources { Cores = 8, MemoryBytes = 16L << 30 },
                Allocated = new Resources { Cores = 2.5, MemoryBytes = 1536L << 20 },
                LastHeartbeat = Timestamp.FromDateTimeOffset(Now.AddSeconds(-2)),
            },
            new() { Name = "node2", Connected = false, Capacity = new Resources { Cores = 4, MemoryBytes = 8L << 30 } },
        ];

        var lines = NodePrinter.Table(nodes, Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^node1\s+yes\s+2\.5/8\s+1\.5G/16G\s+2\s+2s ago$", lines[1]);
        Assert.Matches(@"^node2\s+no\s+0/4\s+0/8G\s+0\s+never$", lines[2]);
    }

    [Fact]
    public void Status_shows_the_cpu_time_and_peak_memory_the_runner_read_from_the_cgroup()
    {
        var task = new TaskInfo
        {
            Id = "t00000000001",
            State = TaskState.Succeeded,
            Spec = new TaskSpec { Argv = { "true" } },
            CreatedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-5)),
            Usage = new TaskUsage { CpuTime = Duration.FromTimeSpan(TimeSpan.FromMilliseconds(1234)), PeakMemoryBytes = 44_040_192 },
        };

        var lines = TaskPrinter.Status(task, Now, TimeZoneInfo.Utc).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Contains("CPU time:    1.234 s", lines);
        Assert.Contains("Peak memory: 42M (44040192 bytes)", lines);
    }

    [Fact]
    public void The_wide_nodes_table_adds_hostname_systemd_cgroup_and_version_with_a_dash_for_what_was_not_reported()
    {
        NodeInfo[] nodes =
        [
            new() { Name = "v2", Connected = true, Hostname = "v2", SystemdVersion = 252, CgroupVersion = 2, Version = "0.1.0" },
            new() { Name = "old", Connected = false },
        ];

        var lines = NodePrinter.Table(nodes, Now, wide: true).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal([.. NodePrinter.Columns, .. NodePrinter.WideColumns], lines[0].Split("  ", StringSplitOptions.RemoveEmptyEntries).Select(c => c.Trim()));
        Assert.Matches(@"^v2\s.*\snever\s+v2\s+252\s+v2\s+0\.1\.0$", lines[1]);
        Assert.Matches(@"^old\s.*\snever\s+-\s+-\s+-\s+-$", lines[2]);
    }

    [Fact]
    public void Status_shows_every_key_aligned_in_order()
    {
        var task = new TaskInfo
        {
            Id = "t00000000001",
            State = TaskState.Failed,
            Owner = "alice",
            Node = "node1",
            Unit = "riverrun-t00000000001.scope",
            Exit = new ExitStatus { Signal = 9 },
            Reason = "killed by a signal",
            Spec = new TaskSpec
            {
                Argv = { "sh", "-c", "echo 'hi there'" },
                Resources = new Resources { Cores = 2, MemoryBytes = 4L << 30 },
                Timeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(90)),
            },
            CreatedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-5)),
            StartedAt = Timestamp.FromDateTimeOffset(Now.AddMinutes(-4)),
        };

        var lines = TaskPrinter.Status(task, Now, TimeZoneInfo.Utc).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
            [
                "ID:          t00000000001",
                "State:       FAILED",
                "Owner:       alice",
                "Node:        node1",
                "Unit:        riverrun-t00000000001.scope",
                "Exit:        signal 9",
                "Command:     sh -c 'echo '\\''hi there'\\'''",
                "Resources:   2 cores, 4G memory, timeout 1h30m",
                "Created:     2025-11-22 11:55:00 +00:00 (5m ago)",
                "Started:     2025-11-22 11:56:00 +00:00 (4m ago)",
                "Finished:    -",
                "CPU time:    -",
                "Peak memory: -",
                "Reason:      killed by a signal",
            ],
            lines);
    }

    [Theory]
    [InlineData(null, null, "-")]
    [InlineData(0, null, "code 0")]
    [InlineData(3, null, "code 3")]
    [InlineData(null, 15, "signal 15")]
    public void The_exit_column_says_code_or_signal(int? code, int? signal, string expected)
    {
        ExitStatus? exit = code is null && signal is null ? null : new ExitStatus();
        if (code is { } c)
        {
            exit!.ExitCode = c;
        }

        if (signal is { } s)
        {
            exit!.Signal = s;
        }

        Assert.Equal(expected, TaskPrinter.Exit(exit));
    }

    [Fact]
    public void The_task_list_has_id_state_node_owner_created_and_command_columns()
    {
        TaskInfo[] tasks =
        [
            new() { Id = "t00000000002", State = TaskState.Queued, CreatedAt = Timestamp.FromDateTimeOffset(Now.AddSeconds(-3)), Spec = new TaskSpec { Argv = { "sleep", "60" } } },
            new() { Id = "t00000000001", State = TaskState.OomKilled, Node = "node2", Owner = "alice", CreatedAt = Timestamp.FromDateTimeOffset(Now.AddHours(-3)), Spec = new TaskSpec { Argv = { "python", "train.py" } } },
        ];

        var lines = TaskPrinter.List(tasks, Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(@"^ID\s+STATE\s+NODE\s+OWNER\s+CREATED\s+COMMAND$", lines[0]);
        Assert.Matches(@"^t00000000002\s+QUEUED\s+-\s+-\s+3s ago\s+sleep 60$", lines[1]);
        Assert.Matches(@"^t00000000001\s+OOM_KILLED\s+node2\s+alice\s+3h ago\s+python train.py$", lines[2]);
    }

    [Theory]
    [InlineData(0, "0s ago")]
    [InlineData(59, "59s ago")]
    [InlineData(60, "1m ago")]
    [InlineData(3599, "59m ago")]
    [InlineData(7200, "2h ago")]
    [InlineData(3 * 86400, "3d ago")]
    [InlineData(-5, "0s ago")]
    public void Ages_use_their_largest_unit(int secondsAgo, string expected)
    {
        Assert.Equal(expected, Formats.Ago(Now.AddSeconds(-secondsAgo), Now));
    }

    [Theory]
    [InlineData(7, "7s")]
    [InlineData(65, "1m05s")]
    [InlineData(7380, "2h03m")]
    public void Elapsed_times_read_like_a_clock(int seconds, string expected)
    {
        Assert.Equal(expected, Formats.Elapsed(TimeSpan.FromSeconds(seconds)));
    }

    [Fact]
    public void Commands_are_shown_quoted_so_they_can_be_pasted_into_a_shell()
    {
        Assert.Equal("python train.py --lr=0.1 'two words' '' 'it'\\''s'", Formats.Command(["python", "train.py", "--lr=0.1", "two words", "", "it's"]));
    }
}
