using System.CommandLine;
using Grpc.Core;
using Grpc.Health.V1;
using RiverRun.Cli.Output;
using RiverRun.Contracts;
using RiverRun.Contracts.Tls;
using RiverRun.Runner.Doctor;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun doctor</c>: checks that this node can run a Runner, one line per check.</summary>
public static class DoctorCommand
{
    /// <summary>What --help says of it; also the NativeAOT client's placeholder for it (<see cref="ServerHandoff"/>).</summary>
    public const string Description = "Check that this node has what a Runner needs; print how to fix what it lacks";

    /// <summary>Where <c>riverrun init service</c> keeps the tokens the services read.</summary>
    public const string DefaultEnvironmentFile = RiverRun.Systemd.Units.ServiceUnitOptions.EnvironmentFilePath;

    private static readonly TimeSpan HostPatience = TimeSpan.FromSeconds(5);

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("doctor", Description);
        CommandHelp.SetDetails(command, $"""
            Run on a node, as root. Each check prints one line, "ok", "note" or "FAIL", and after a
            failure or a note a "fix:" line saying what to do. A note is advice: the check passes.
            Exits 0 when every check passes, 1 when any fails. Takes about 1.5 s: two checks start
            real scopes.

            Checks:
              systemd       systemd is PID 1 (the node was booted with it) and {DoctorChecks.MinimumSystemdVersion} or newer.
              cgroups       cgroup v2: the cpu and memory controllers are available (and which are
                            delegated to slices); v1: the cpu and memory hierarchies are mounted
                            read-write (read-only, limits are recorded but not enforced). pids and
                            cpuset are reported too.
              memory limit  a scope with MemoryMax={DoctorChecks.MemoryProbeLimit} around a process holding 64M is killed.
              cpu limit     a scope with CPUQuota={DoctorChecks.CpuProbeQuota} around a 1 s busy loop uses well under 1 s of CPU.
              launch latency  the cgroup option favordynmods is on (Linux 6.0+): without it, the
                            first task after a quiet moment waits 10-35 ms for the kernel while
                            systemd moves it into its scope. A note, never a failure.
              root          doctor runs as root (the Runner must).
              host          the Host answers gRPC health (grpc.health.v1) with SERVING: --host URL,
                            else ${HostConnection.HostVariable}, else {HostConnection.DefaultAddress}.
              token file    --env-file (default {DefaultEnvironmentFile}), where the services'
                            tokens live, is mode 0600 and owned by root, if it exists.

            Examples:
              riverrun doctor --host http://head:8700
              riverrun doctor --host https://head:8700 --ca /etc/riverrun/tls/ca.crt
              RIVERRUN_HOST=http://head:8700 riverrun doctor --env-file /etc/riverrun/gpu0.env
            """);
        var environmentFile = new Option<string>("--env-file")
        {
            Description = "The environment file holding the Runner's token, whose mode is checked",
            HelpName = "PATH",
            DefaultValueFactory = _ => DefaultEnvironmentFile,
        };
        command.Options.Add(environmentFile);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var (address, _) = HostConnection.ResolveAddress(parseResult.GetValue(services.HostOption), services.Context.GetEnvironmentVariable(HostConnection.HostVariable));
            var caFile = parseResult.GetValue(services.CaOption) ?? services.Context.GetEnvironmentVariable(HostConnection.CaVariable);
            var facts = await new NodeProbe().GatherAsync(AskHostAsync(address, caFile, services.Context, cancellationToken), parseResult.GetValue(environmentFile)!, cancellationToken).ConfigureAwait(false);
            var checks = DoctorChecks.Evaluate(facts);
            await services.Context.Out.WriteAsync(DoctorReport.Format(checks)).ConfigureAwait(false);
            return checks.All(check => check.Ok) ? ExitCodes.Success : ExitCodes.GenericFailure;
        });
        return command;
    }

    // The standard health service, through the same channel every RiverRun client uses.
    private static async Task<NodeFacts.HostAnswer> AskHostAsync(string address, string? caFile, CliContext context, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            using var channel = HostChannel.Create(address, new HostChannelOptions
            {
                BearerToken = context.GetEnvironmentVariable(HostConnection.TokenVariable) is { Length: > 0 } token ? token.Trim() : null,
                ConnectTimeout = HostPatience,
                TrustedCaFile = string.IsNullOrWhiteSpace(caFile) ? null : caFile.Trim(),
            });
            var response = await new Health.HealthClient(channel)
                .CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + HostPatience, cancellationToken: cancellationToken)
                .ResponseAsync.ConfigureAwait(false);
            return new(address, response.Status.ToString(), null);
        }
        catch (RpcException ex)
        {
            var cause = HostTransportFailure.Describe(new Uri(address), ex)
                ?? (ex.Status.DebugException?.GetBaseException().Message is { Length: > 0 } root ? root : $"{ex.StatusCode}: {ex.Status.Detail}");
            return new(address, null, cause);
        }
        catch (TlsSetupException ex)
        {
            return new(address, null, ex.Message);
        }
        catch (ArgumentException)
        {
            return new(address, null, "not a Host address; use http://HOST:PORT");
        }
    }
}
