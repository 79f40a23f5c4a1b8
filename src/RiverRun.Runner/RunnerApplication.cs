using Microsoft.Extensions.Logging;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner;

/// <summary>The entry point of <c>riverrun runner</c>.</summary>
public static class RunnerApplication
{
    /// <summary>Exit code when the options are wrong.</summary>
    public const int InvalidOptionsExitCode = 2;

    /// <summary>Exit code when the machine cannot run the Runner (no systemd, not root, state directory unusable).</summary>
    public const int CannotStartExitCode = 1;

    /// <summary>
    /// Runs the Runner until <paramref name="cancellationToken"/> fires (SIGTERM, Ctrl-C).
    /// Returns 0 after a clean stop; non-zero, after logging why, when it cannot start.
    /// </summary>
    public static async Task<int> RunAsync(RunnerOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        using var loggerFactory = RunnerLogging.Create();
        var logger = loggerFactory.CreateLogger("RiverRun.Runner");
        try
        {
            options.Validate();
        }
        catch (ArgumentException ex)
        {
            RunnerLog.CannotStart(logger, ex.Message);
            return InvalidOptionsExitCode;
        }

        try
        {
            var systemdVersion = await new SystemdPreflight().CheckAsync(cancellationToken).ConfigureAwait(false);
            var layout = CgroupLayout.Detect();
            var inventory = new NodeInventoryReader().Read(
                Environment.MachineName,
                systemdVersion,
                layout.Version == CgroupVersion.Unified ? 2 : 1);
            RunnerProfile profile;
            try
            {
                profile = RunnerProfile.Resolve(options, inventory);
            }
            catch (ArgumentException ex)
            {
                RunnerLog.CannotStart(logger, ex.Message);
                return InvalidOptionsExitCode;
            }

            var service = new RunnerService(profile, inventory, new SystemdTools(), layout, new RunnerTuning(), TimeProvider.System, logger);
            await service.RunAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (InvalidOperationException ex)
        {
            RunnerLog.CannotStart(logger, ex.Message);
            return CannotStartExitCode;
        }
    }
}
