using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests;

public sealed class InitServiceCommandTests : IDisposable
{
    private const string Exec = "/usr/local/bin/riverrun";
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("--host", "riverrun-host.service,riverrun-host.socket")]
    [InlineData("--runner", "riverrun-runner.service,riverrun-runner@.service")]
    [InlineData("--all", "riverrun-host.service,riverrun-host.socket,riverrun-runner.service,riverrun-runner@.service")]
    public async Task Each_role_writes_its_units_into_the_output_directory_and_says_so(string role, string files)
    {
        var cli = new CliRun();
        var output = _directory.Combine("units");

        var exitCode = await cli.RunAsync("init", "service", role, "--exec", Exec, "--output-dir", output);

        Assert.Equal(ExitCodes.Success, exitCode);
        var names = files.Split(',');
        Assert.Equal(names.Order(StringComparer.Ordinal), Directory.GetFiles(output).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in names)
        {
            Assert.Contains($"wrote {Path.Combine(output, name)}\n", cli.Stdout, StringComparison.Ordinal);
        }

        Assert.Contains($"riverrun init service {role} --install --enable --now", cli.Stdout, StringComparison.Ordinal);
        Assert.Empty(cli.StderrBytes);
    }

    [Fact]
    public async Task The_socket_listens_where_the_host_configuration_says_and_exec_start_names_the_files()
    {
        var config = _directory.Combine("host config.toml");
        File.WriteAllText(config, "# the Host\ndata_dir = \"/var/lib/riverrun\"\nlisten = \"0.0.0.0:9700\" # all interfaces\n");
        var output = _directory.Combine("out");

        var exitCode = await new CliRun().RunAsync("init", "service", "--host", "--config", config, "--exec", "/opt/River Run/riverrun", "--output-dir", output, "--on-failure", "notify@%n.service");

        Assert.Equal(ExitCodes.Success, exitCode);
        var socket = File.ReadAllLines(Path.Combine(output, "riverrun-host.socket"));
        Assert.Contains("ListenStream=0.0.0.0:9700", socket);
        var service = File.ReadAllLines(Path.Combine(output, "riverrun-host.service"));
        Assert.Contains($"ExecStart=\"/opt/River Run/riverrun\" host --config \"{config}\"", service);
        Assert.Contains("OnFailure=notify@%n.service", service);
    }

    [Fact]
    public async Task A_named_host_configuration_file_that_is_missing_is_refused_with_how_to_write_one()
    {
        var output = _directory.Combine("out");
        var missing = _directory.Combine("missing.toml");
        var cli = new CliRun();

        // The Host started by the unit would refuse a --config file that is not there: say so now.
        var exitCode = await cli.RunAsync("init", "service", "--host", "--host-config", missing, "--exec", Exec, "--output-dir", output);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(missing, cli.Stderr, StringComparison.Ordinal);
        Assert.Contains("riverrun init config --host", cli.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Fact]
    public async Task A_bad_listen_address_in_the_host_configuration_names_file_line_and_key_and_writes_nothing()
    {
        var config = _directory.Combine("host.toml");
        File.WriteAllText(config, "\nlisten = \"head:8700\"\n");
        var cli = new CliRun();
        var output = _directory.Combine("out");

        var exitCode = await cli.RunAsync("init", "service", "--all", "--host-config", config, "--exec", Exec, "--output-dir", output);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.StartsWith($"riverrun: {config}:2: listen: listen address 'head:8700' has host 'head'", cli.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }

    [Theory]
    [InlineData("riverrun: say which units to write: --host, --runner or --all")]
    [InlineData("riverrun: --instance names a Runner instance; add --runner (or --all)", "--host", "--instance", "gpu0")]
    [InlineData("riverrun: --instance: the same instance is named twice", "--runner", "--instance", "a", "--instance", "a")]
    [InlineData("riverrun: --instance gpu.0: instance name 'gpu.0' contains '.'", "--runner", "--instance", "gpu.0")]
    [InlineData("riverrun: --on-failure mail: unit name 'mail' does not end with a unit type", "--all", "--on-failure", "mail")]
    [InlineData("riverrun: --config is for one service; with --all give --host-config and --runner-config", "--all", "--config", "/etc/x.toml")]
    [InlineData("riverrun: --config and --runner-config both name the configuration; give one", "--runner", "--config", "/a.toml", "--runner-config", "/b.toml")]
    [InlineData("riverrun: --host-config is the Host's configuration; add --host (or --all)", "--runner", "--host-config", "/a.toml")]
    [InlineData("riverrun: --runner-config is the Runner's configuration; add --runner (or --all)", "--host", "--runner-config", "/a.toml")]
    [InlineData("riverrun: --enable, --now and --root go with --install", "--runner", "--enable")]
    [InlineData("riverrun: --enable, --now and --root go with --install", "--runner", "--now")]
    [InlineData("riverrun: --now cannot start units installed under --root", "--runner", "--install", "--now", "--root", "/tmp/img")]
    [InlineData("riverrun: --exec: the path contains a control character", "--runner", "--exec", "/opt/a\nExecStartPre=/bin/true")]
    public async Task Bad_combinations_exit_2_with_one_line_and_write_nothing(string message, params string[] args)
    {
        var cli = new CliRun();
        var output = _directory.Combine("out");
        string[] withExec = args.Contains("--exec") ? args : [.. args, "--exec", Exec];

        var exitCode = await cli.RunAsync(["init", "service", .. withExec, .. args.Contains("--install") ? Array.Empty<string>() : ["--output-dir", output]]);

        Assert.Equal(ExitCodes.Usage, exitCode);
        var line = Assert.Single(cli.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith(message, line, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
        Assert.False(Directory.Exists("/tmp/img"));
        Assert.Empty(cli.StdoutBytes);
    }

    [Fact]
    public async Task Install_under_a_root_writes_the_units_and_a_0600_tokens_file_and_never_prints_its_content()
    {
        var root = _directory.Combine("image");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "service", "--all", "--exec", Exec, "--install", "--root", root);

        Assert.Equal(ExitCodes.Success, exitCode);
        foreach (var name in new[] { "riverrun-host.service", "riverrun-host.socket", "riverrun-runner.service", "riverrun-runner@.service" })
        {
            Assert.True(File.Exists(Path.Combine(root, "etc", "systemd", "system", name)), name);
        }

        var environmentFile = Path.Combine(root, "etc", "riverrun", "riverrun.env");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(environmentFile));
        Assert.Contains($"created {environmentFile} (mode 0600, empty)", cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("RIVERRUN_TOKEN=<", cli.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("daemon-reload", cli.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_with_enable_under_a_root_enables_the_instances_with_the_real_systemctl()
    {
        var root = _directory.Combine("image");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "service", "--runner", "--instance", "gpu0", "--instance", "gpu1", "--exec", Exec, "--install", "--enable", "--root", root);

        Assert.True(exitCode == ExitCodes.Success, cli.Stderr);
        var wants = Path.Combine(root, "etc", "systemd", "system", "multi-user.target.wants");
        Assert.Equal(["riverrun-runner@gpu0.service", "riverrun-runner@gpu1.service"], Directory.GetFileSystemEntries(wants).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Contains("enabled riverrun-runner@gpu0.service riverrun-runner@gpu1.service", cli.Stdout, StringComparison.Ordinal);
    }
}
