using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
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

    public HostConnection(RunnerProfile profile, NodeInventory inventory, TaskRegistry registry, UsageSampler usage, RunnerTuning tuning, TimeProvider time, ILogger<HostConnection> logger, Func<double>? random = null)
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
    }

    /// <summary>Runs until <paramref name="cancellationToken"/> fires; never fails because the Host is away.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var channel = HostChannel.Create(_profile.HostUrl.ToString(), new HostChannelOptions
        {
            BearerToken = Environment.GetEnvironmentVariable("RIVERRUN_TOKEN"),
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
            try
            {
                using var call = client.Connect(cancellationToken: cancellationToken);
                var session = new HostSession(_profile, _inventory, _registry, _usage, _tuning, _time, _logger);
                await session.RunAsync(
                    call,
                    () =>
                    {
                        backoff.Reset();
                        attempt = 0;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                RunnerLog.ConnectionLost(_logger, _profile.HostUrl, Describe(ex));
            }

            var delay = backoff.Next();
            RunnerLog.Reconnecting(_logger, delay, attempt + 1);
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

    // The innermost message is usually the useful one ("Connection refused (127.0.0.1:8700)").
    private static string Describe(Exception ex)
    {
        var inner = ex.GetBaseException();
        return inner == ex || inner.Message.Length == 0 ? ex.Message : $"{ex.Message} ({inner.Message})";
    }
}
