using System.CommandLine;

namespace RiverRun.Cli.Tests;

/// <summary>
/// The NativeAOT client's placeholders for the commands riverrun-server runs. The exec itself is
/// exercised end to end: the sandbox runs the NativeAOT build, whose `riverrun doctor` and
/// `riverrun init service` go through it, and ServerHandoffEndToEndTests start `riverrun host` as a unit.
/// </summary>
public sealed class ServerHandoffTests
{
    [Theory]
    [InlineData("host", "host", "--listen", "0.0.0.0:8700", "--tls-cert", "x.crt")]
    [InlineData("host", "host", "--help")]
    [InlineData("runner", "runner", "--no-such-flag")]
    [InlineData("init", "init", "service", "--runner", "--install")]
    [InlineData("doctor", "--host", "https://head:8700", "doctor", "--ca", "ca.crt")]
    public void A_placeholder_claims_its_command_whatever_follows_it_even_help_and_unknown_flags(string expected, params string[] args)
    {
        var root = ClientRoot();

        var handedOff = ServerHandoff.HandedOffCommand(root.Parse(args));

        Assert.Equal(expected, handedOff);
    }

    [Theory]
    [InlineData("list", "--limit", "5")]
    [InlineData("--help")]
    [InlineData("list", "host")]
    public void Commands_of_the_client_itself_are_not_handed_off(params string[] args)
    {
        Assert.Null(ServerHandoff.HandedOffCommand(ClientRoot().Parse(args)));
    }

    [Fact]
    public void The_placeholders_help_line_is_the_commands_own_description()
    {
        var placeholder = ServerHandoff.Placeholder("host", Commands.HostCommand.Description);

        Assert.Equal("Run the Host service: the cluster's state, queue and output store", placeholder.Description);
        Assert.All(placeholder.Arguments, argument => Assert.True(argument.Hidden));
    }

    [Fact]
    public void The_server_is_looked_for_beside_the_client()
    {
        Assert.Equal("/opt/riverrun/riverrun-server", ServerHandoff.ServerPath("/opt/riverrun/riverrun"));
        Assert.Equal("/usr/local/lib/River Run/riverrun-server", ServerHandoff.ServerPath("/usr/local/lib/River Run/riverrun"));
    }

    [Fact]
    public void Without_the_server_beside_it_the_client_says_which_file_is_missing_and_exits_69()
    {
        var error = new StringWriter();
        var expectedServer = ServerHandoff.ServerPath(Environment.ProcessPath!);
        Assert.False(File.Exists(expectedServer), $"{expectedServer} exists; this test needs it absent");

        var exitCode = ServerHandoff.Exec("runner", ["runner", "--instance", "gpu0"], error);

        Assert.Equal(ExitCodes.Unavailable, exitCode);
        Assert.Equal(ServerHandoff.MissingServerMessage("runner", expectedServer) + "\n", error.ToString().Replace("\r\n", "\n", StringComparison.Ordinal));
        Assert.Contains($"{expectedServer} does not exist", error.ToString(), StringComparison.Ordinal);
        Assert.Contains("copy both riverrun and riverrun-server", error.ToString(), StringComparison.Ordinal);
    }

    // The client's root as the NativeAOT build has it: its own commands, placeholders for the rest.
    private static RootCommand ClientRoot()
    {
        var root = new RootCommand("test") { Options = { new Option<string>("--host") } };
        root.Subcommands.Add(new Command("list") { Options = { new Option<int>("--limit") } });
        root.Subcommands.Add(ServerHandoff.Placeholder("host", Commands.HostCommand.Description));
        root.Subcommands.Add(ServerHandoff.Placeholder("runner", Commands.RunnerCommand.Description));
        root.Subcommands.Add(ServerHandoff.Placeholder("init", Commands.InitCommand.Description));
        root.Subcommands.Add(ServerHandoff.Placeholder("doctor", Commands.DoctorCommand.Description));
        return root;
    }
}
