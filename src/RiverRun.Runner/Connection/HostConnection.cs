using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.Tls;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Connection;

/// <summary>
/// Keeps this Runner connected to its Host for as long as it runs: dials, runs a session, and
/// when the Host goes away dials again after a backoff, logging every attempt.
/// </summary>
internal sealed class HostConnection
{
    private readonly RunnerProfile _profile;
    private readonly NodeInventory _inventory;
    private readonly TaskRegistry _registry;
    private readonly UsageSampler _usage;
    private readonly RunnerTuning _tuning;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Func<double> _random;
    private readonly RunnerServiceState _state;

    public HostConnection(RunnerProfile profile, NodeInventory inventory, TaskRegistry registry, UsageSampler usage, RunnerTuning tuning, TimeProvider time, RunnerServiceState state, ILogger<HostConnection> logger, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(inventory);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(usage);
        ArgumentNullException.ThrowIfNull(tuning);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _profile = profile;
        _inventory = inventory;
        _registry = registry;
        _usage = usage;
        _tuning = tuning;
        _time = time;
        _logger = logger;
        _random = random ?? Random.Shared.NextDouble;
        _state = state;
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; never fails because the Host is away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var channel = HostChannel.Create(_profile.HostUrl.ToString(), new HostChannelOptions
        {
            BearerToken = Environment.GetEnvironmentVariable("RIVERRUN_TOKEN"),
            TrustedCaFile = _profile.TrustedCaFile,
            TrustedCaSource = _profile.TrustedCaSource,
            // A vanished Host must be noticed in seconds, not after TCP's minutes.
            KeepAlivePingDelay = TimeSpan.FromSeconds(10),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
        });
        var client = new RiverRun.Contracts.V1.Runners.RunnersClient(channel);
        var backoff = new ReconnectBackoff(_tuning.ReconnectInitialDelay, _tuning.ReconnectMaximumDelay, _random);
        var attempt = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            attempt++;
            RunnerLog.Connecting(_logger, _profile.HostUrl, attempt);
            _state.Connecting(_profile.HostUrl, attempt);
            // Until registered: the connect and the Host's answer are both bounded.
            _state.ConnectionLoop.Beat(_tuning.RegistrationTimeout + ConnectAllowance);
            string reason;
            try
            {
                using var call = client.Connect(cancellationToken: cancellationToken);
                var session = new HostSession(_profile, _inventory, _registry, _usage, _tuning, _time, _logger, _state.ConnectionLoop);
                var held = _registry.Tasks.Count;
                await session.RunAsync(
                    call,
                    () =>
                    {
                        backoff.Reset();
                        attempt = 0;
                        _state.Registered(_profile.HostUrl, _profile.Name, held);
                    },
                    cancellationToken).ConfigureAwait(false);
                reason = "the Host ended the stream";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                reason = Describe(_profile.HostUrl, ex);
                RunnerLog.ConnectionLost(_logger, _profile.HostUrl, reason);
            }

            var delay = backoff.Next();
            RunnerLog.Reconnecting(_logger, delay, attempt + 1);
            _state.Disconnected(_profile.HostUrl, reason, delay);
            _state.ConnectionLoop.Beat(delay + ConnectAllowance);
            try
            {
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    // Time to open the TCP connection (HostChannel's connect timeout) with room to spare.
    private static readonly TimeSpan ConnectAllowance = TimeSpan.FromSeconds(15);

    // The innermost message is usually the useful one ("Connection refused (127.0.0.1:8700)").
    private static string Describe(Uri host, Exception ex)
    {
        if (HostTransportFailure.Describe(host, ex) is { } tls)
        {
            return tls;
        }

        var inner = ex.GetBaseException();
        return inner == ex || inner.Message.Length == 0 ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
