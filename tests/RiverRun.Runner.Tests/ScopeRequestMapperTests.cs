using Google.Protobuf.WellKnownTypes;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

public sealed class ScopeRequestMapperTests
{
    private static readonly TaskAccount Alice = new("alice", "/home/alice", "/bin/bash", HomeExists: true);

    private static readonly LaunchContext Context = new(
        "node1",
        "riverrun-node1.slice",
        ExpandEnvironmentOption: false,
        [new NumaNode { Index = 0, Cpus = "0-3", MemoryBytes = 1 << 30 }, new NumaNode { Index = 1, Cpus = "4-7", MemoryBytes = 1 << 30 }]);

    private static StartTask Start(Action<Contracts.V1.TaskSpec>? configure = null, Contracts.V1.TargetSelector? target = null)
    {
        var spec = new Contracts.V1.TaskSpec { Argv = { "python", "train.py", "--lr", "$HOME 'quoted'" } };
        configure?.Invoke(spec);
        return new StartTask { TaskId = "abc123def456", Spec = spec, Target = target };
    }

    private static Systemd.ScopeRequest Map(StartTask start, TaskAccount? account = null) =>
        ScopeRequestMapper.Map(start, account ?? Alice, Context, "/var/lib/riverrun-runner/node1/tasks/abc123def456/spool");

    [Fact]
    public void The_environment_is_the_small_base_plus_the_task_ids_and_nothing_of_the_runners()
    {
        Environment.SetEnvironmentVariable("RIVERRUN_TOKEN", "runner-secret");
        Environment.SetEnvironmentVariable("SOME_RUNNER_SETTING", "x");

        var request = Map(Start());

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                ["LANG"] = "C.UTF-8",
                ["HOME"] = "/home/alice",
                ["USER"] = "alice",
                ["LOGNAME"] = "alice",
                ["SHELL"] = "/bin/bash",
                ["RIVERRUN_TASK_ID"] = "abc123def456",
                ["RIVERRUN_NODE"] = "node1",
            },
            request.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).ToDictionary());
    }

    [Fact]
    public void The_tasks_own_variables_are_added_and_may_replace_LANG_but_not_the_RIVERRUN_ones()
    {
        var request = Map(Start(spec =>
        {
            spec.Env["LANG"] = "de_DE.UTF-8";
            spec.Env["CUDA_HOME"] = "/opt/cuda";
            spec.Env["RIVERRUN_TASK_ID"] = "forged";
        }));

        Assert.Equal("de_DE.UTF-8", request.Environment["LANG"]);
        Assert.Equal("/opt/cuda", request.Environment["CUDA_HOME"]);
        Assert.Equal("abc123def456", request.Environment["RIVERRUN_TASK_ID"]);
    }

    [Fact]
    public void Argv_is_passed_exactly_and_the_unit_and_slice_follow_the_naming_rules()
    {
        var request = Map(Start());

        Assert.Equal(["python", "train.py", "--lr", "$HOME 'quoted'"], request.Argv);
        Assert.Equal("riverrun-abc123def456", request.UnitName);
        Assert.Equal("riverrun-node1.slice", request.Slice);
    }

    [Fact]
    public void Cores_become_a_CPU_quota_of_cores_times_100_percent_and_memory_a_MemoryMax()
    {
        var request = Map(Start(spec => spec.Resources = new Contracts.V1.Resources { Cores = 1.5, MemoryBytes = 4L << 30 }));

        Assert.Equal(150, request.CpuQuotaPercent);
        Assert.Equal(Core.CoreCount.FromCores(1.5).ToCpuQuota(), $"{request.CpuQuotaPercent}%");
        Assert.Equal(4L << 30, request.MemoryMaxBytes);
        Assert.Contains("MemorySwapMax=0", Systemd.SystemdRunCommandBuilder.BuildArguments(request));
    }

    [Fact]
    public void No_resources_means_no_limits()
    {
        var request = Map(Start());

        Assert.Null(request.CpuQuotaPercent);
        Assert.Null(request.MemoryMaxBytes);
    }

    [Fact]
    public void A_CPU_share_finer_than_a_hundredth_of_a_core_is_rejected_with_the_reason()
    {
        var ex = Assert.Throws<TaskRejectedException>(() => Map(Start(spec => spec.Resources = new Contracts.V1.Resources { Cores = 0.001 })));

        Assert.Contains("cores", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_named_user_is_passed_by_name_even_when_given_as_a_uid()
    {
        var request = Map(Start(spec => spec.User = "1234"));

        Assert.Equal("alice", request.User);
    }

    [Fact]
    public void Without_a_user_the_task_runs_as_the_runners_user_with_that_users_home_as_its_directory()
    {
        var root = new TaskAccount("root", "/root", "/bin/sh", HomeExists: true);

        var request = Map(Start(), root);

        Assert.Null(request.User);
        Assert.Equal("/root", request.WorkingDirectory);
        Assert.Equal("/root", request.Environment["HOME"]);
    }

    [Fact]
    public void An_explicit_working_directory_is_kept_and_a_missing_home_falls_back_to_the_root_directory()
    {
        var homeless = Alice with { HomeExists = false };

        Assert.Equal("/data/run", Map(Start(spec => spec.WorkingDirectory = "/data/run")).WorkingDirectory);
        Assert.Equal("/", Map(Start(), homeless).WorkingDirectory);
    }

    [Fact]
    public void A_NUMA_target_pins_the_scope_to_that_nodes_CPUs_and_memory()
    {
        var request = Map(Start(target: new Contracts.V1.TargetSelector { Node = "node1", NumaNode = 1 }));

        Assert.Equal("4-7", request.AllowedCpus);
        Assert.Equal("1", request.AllowedMemoryNodes);
    }

    [Fact]
    public void A_NUMA_node_the_machine_lacks_is_rejected()
    {
        var ex = Assert.Throws<TaskRejectedException>(() => Map(Start(target: new Contracts.V1.TargetSelector { Node = "node1", NumaNode = 5 })));

        Assert.Contains("NUMA node 5", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GPU_targets_become_CUDA_VISIBLE_DEVICES()
    {
        var request = Map(Start(target: new Contracts.V1.TargetSelector { Node = "node1", Gpus = { 2, 0 } }));

        Assert.Equal("2,0", request.Environment["CUDA_VISIBLE_DEVICES"]);
    }

    [Fact]
    public void An_empty_argv_or_an_invalid_environment_name_is_rejected_not_thrown_as_a_bug()
    {
        Assert.Throws<TaskRejectedException>(() => Map(new StartTask { TaskId = "abc123def456", Spec = new Contracts.V1.TaskSpec() }));
        Assert.Throws<TaskRejectedException>(() => Map(Start(spec => spec.Env["A=B"] = "x")));
        Assert.Throws<TaskRejectedException>(() => Map(Start(spec => spec.WorkingDirectory = "relative/dir")));
    }

    [Fact]
    public void The_timeout_of_the_spec_is_what_the_task_run_enforces()
    {
        using var temp = new TempDirectory();
        var start = Start(spec => spec.Timeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)));

        var run = new TaskRun(start, TaskDirectory.Create(new TaskPaths(temp.Path, temp.Combine("spool")), start));

        Assert.Equal(TimeSpan.FromMinutes(5), run.Timeout);
        Assert.Equal("riverrun-abc123def456.scope", run.Unit);
    }
}
