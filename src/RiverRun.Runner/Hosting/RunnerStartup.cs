using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace RiverRun.Runner;

/// <summary>
/// The Runner's start, before anything dials the Host: inspects the machine, fits the options to
/// it (the <see cref="RunnerProfile"/>) and claims the state directory until the Runner stops.
/// A failure fails the host's start, so the process says why and exits without running anything.
/// </summary>
/// <remarks>
/// The inventory and the profile are only known after an asynchronous check, so they cannot be
/// built by the container up front: they are registered as services read from here, and
/// everything that needs them is resolved by <see cref="RunnerService"/> once the start is done.
/// Registered before <see cref="RunnerService"/>: hosted services start in order and stop in
/// reverse, so the state directory stays locked until the tasks' supervision has stopped.
/// </remarks>
internal sealed class RunnerStartup(IMachineInspector inspector, IOptions<RunnerOptions> options) : IHostedService, IDisposable
{
    private InspectedMachine? _machine;
    private RunnerProfile? _profile;
    private IDisposable? _stateDirectoryLock;

    /// <summary>The machine as inspected at start.</summary>
    public InspectedMachine Machine => _machine ?? throw NotStartedYet();

    /// <summary>The options fitted to the machine.</summary>
    public RunnerProfile Profile => _profile ?? throw NotStartedYet();

    /// <exception cref="OptionsValidationException">The options ask for more than the machine has, or the hostname is no valid name.</exception>
    /// <exception cref="InvalidOperationException">The machine cannot run the Runner, or the state directory is unusable or taken.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var machine = await inspector.InspectAsync(cancellationToken).ConfigureAwait(false);
        RunnerProfile profile;
        try
        {
            profile = RunnerProfile.Resolve(options.Value, machine.Inventory);
        }
        catch (ArgumentException ex)
        {
            // Valid options that do not fit this machine are still the operator's to fix: reported like any invalid option.
            throw new OptionsValidationException(Options.DefaultName, typeof(RunnerOptions), [ex.Message]);
        }

        _stateDirectoryLock = RunnerStateDirectory.Claim(profile);
        _machine = machine;
        _profile = profile;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        ReleaseStateDirectory();
        return Task.CompletedTask;
    }

    public void Dispose() => ReleaseStateDirectory();

    private void ReleaseStateDirectory()
    {
        _stateDirectoryLock?.Dispose();
        _stateDirectoryLock = null;
    }

    private static InvalidOperationException NotStartedYet() =>
        new("The Runner's machine and profile are known only once RunnerStartup has run; resolve what needs them after the host has started.");
}
