namespace RiverRun.Systemd.Tests;

public class SystemdRunCommandBuilderTests
{
    private static ScopeRequest Minimal(IReadOnlyList<string>? argv = null) => new()
    {
        UnitName = "riverrun-abc123",
        Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" },
        Argv = argv ?? ["python", "train.py"],
        SpoolDirectory = "/var/lib/riverrun/spool/abc123",
    };

    [Fact]
    public void A_minimal_request_becomes_a_quiet_collected_scope_running_the_wrapper()
    {
        var args = SystemdRunCommandBuilder.BuildArguments(Minimal());

        string[] expected =
        [
            "--scope", "--quiet", "--collect", "--unit=riverrun-abc123", "--description=RiverRun task riverrun-abc123",
            "-p", "CPUAccounting=yes", "-p", "MemoryAccounting=yes",
            "--",
            "/bin/sh", "-c", TaskWrapperScript.Text, "riverrun-wrapper", "/var/lib/riverrun/spool/abc123", "",
            "python", "train.py",
        ];
        Assert.Equal(expected, args);
    }

    [Fact]
    public void A_full_request_sets_every_limit_identity_and_the_working_directory_in_order()
    {
        var request = Minimal() with
        {
            Slice = "riverrun-node1.slice",
            CpuQuotaPercent = 200,
            MemoryMaxBytes = 4L * 1024 * 1024 * 1024,
            AllowedCpus = "0-3,8",
            AllowedMemoryNodes = "0",
            User = "alice",
            Group = "lab",
            WorkingDirectory = "/home/alice/project",
            ExpandEnvironmentOption = true,
        };

        var args = SystemdRunCommandBuilder.BuildArguments(request);

        string[] expected =
        [
            "--scope", "--quiet", "--collect", "--unit=riverrun-abc123", "--description=RiverRun task riverrun-abc123", "--slice=riverrun-node1.slice",
            "-p", "CPUAccounting=yes", "-p", "MemoryAccounting=yes",
            "-p", "CPUQuota=200%",
            "-p", "MemoryMax=4294967296", "-p", "MemorySwapMax=0",
            "-p", "AllowedCPUs=0-3,8", "-p", "AllowedMemoryNodes=0",
            "--uid=alice", "--gid=lab",
            "--expand-environment=no",
            "--",
            "/bin/sh", "-c", TaskWrapperScript.Text, "riverrun-wrapper", "/var/lib/riverrun/spool/abc123", "/home/alice/project",
            "python", "train.py",
        ];
        Assert.Equal(expected, args);
    }

    [Fact]
    public void The_description_names_the_task_so_neither_the_script_nor_the_argv_shows_in_systemctl()
    {
        var args = SystemdRunCommandBuilder.BuildArguments(Minimal(["python", "--token=abc"]));

        Assert.Equal("--description=RiverRun task riverrun-abc123", Assert.Single(args, a => a.StartsWith("--description=", StringComparison.Ordinal)));
    }

    [Fact]
    public void Swap_is_forbidden_only_together_with_a_memory_limit()
    {
        var withoutLimit = SystemdRunCommandBuilder.BuildArguments(Minimal());
        var withLimit = SystemdRunCommandBuilder.BuildArguments(Minimal() with { MemoryMaxBytes = 1024 });

        Assert.DoesNotContain("MemorySwapMax=0", withoutLimit);
        Assert.Contains("MemorySwapMax=0", withLimit);
    }

    [Fact]
    public void Systemd_252_gets_no_expand_environment_option_because_it_does_not_know_it()
    {
        var args = SystemdRunCommandBuilder.BuildArguments(Minimal() with { ExpandEnvironmentOption = false });

        Assert.DoesNotContain(args, a => a.StartsWith("--expand-environment", StringComparison.Ordinal));
    }

    [Fact]
    public void Argv_with_dollar_signs_spaces_and_quotes_is_passed_as_separate_unchanged_elements()
    {
        string[] argv = ["printf", "%s\n", "$HOME", "two words", "it's \"quoted\"", "`id`", "; rm -rf /", "*"];

        var args = SystemdRunCommandBuilder.BuildArguments(Minimal(argv));

        Assert.Equal(argv, args.Skip(args.Count - argv.Length));
    }

    [Fact]
    public void The_environment_is_never_put_on_the_command_line()
    {
        var request = Minimal() with
        {
            Environment = new Dictionary<string, string> { ["RIVERRUN_SECRET"] = "s3cr3t" },
        };

        var args = SystemdRunCommandBuilder.BuildArguments(request);

        Assert.DoesNotContain(args, a => a.Contains("s3cr3t", StringComparison.Ordinal) || a.StartsWith("--setenv", StringComparison.Ordinal));
    }

    [Fact]
    public void Options_come_before_the_double_dash_and_the_task_only_after_it()
    {
        var args = SystemdRunCommandBuilder.BuildArguments(Minimal(["--scope"]));

        var separator = args.ToList().IndexOf("--");
        Assert.Equal("/bin/sh", args[separator + 1]);
        Assert.Equal("--scope", args[^1]);
    }

    [Fact]
    public void Root_sensitive_variables_travel_in_the_environment_under_carrier_names_and_never_on_the_command_line()
    {
        var request = Minimal() with
        {
            Environment = new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["SECRET"] = "xyz",
                ["LD_LIBRARY_PATH"] = "/xyz-secret",
                ["TMPDIR"] = "/scratch/a b\nc",
            },
        };

        var args = SystemdRunCommandBuilder.BuildArguments(request);
        var environment = SystemdRunCommandBuilder.BuildEnvironment(request);

        Assert.Equal(SystemdRunCommandBuilder.BuildArguments(Minimal()), args);
        Assert.DoesNotContain(args, a => a.Contains("xyz", StringComparison.Ordinal) || a.StartsWith("--setenv", StringComparison.Ordinal));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PATH"] = "/usr/bin:/bin",
                ["SECRET"] = "xyz",
                ["RIVERRUN_TASK_ONLY_LD_LIBRARY_PATH"] = "/xyz-secret",
                ["RIVERRUN_TASK_ONLY_TMPDIR"] = "/scratch/a b\nc",
                ["RIVERRUN_TASK_ONLY"] = "LD_LIBRARY_PATH TMPDIR",
            },
            environment);
    }

    [Fact]
    public void Without_root_sensitive_variables_the_environment_is_the_tasks_own_and_has_no_carrier()
    {
        var environment = SystemdRunCommandBuilder.BuildEnvironment(Minimal() with
        {
            Environment = new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/root" },
        });

        Assert.Equal(new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin", ["HOME"] = "/root" }, environment);
    }
}
