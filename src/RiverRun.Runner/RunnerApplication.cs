using RiverRun.Systemd;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace RiverRun.Runner;

/// <summary>The entry point of <c>riverrun runner</c>: the Runner on the .NET Generic Host.</summary>
public static class RunnerApplication
{
    /// <summary>Exit code when the options are wrong.</summary>
    public const int InvalidOptionsExitCode = 2;

    /// <summary>Exit code when the machine cannot run the Runner (no systemd, not root, state directory unusable), or the Runner failed.</summary>
    public const int CannotStartExitCode = 1;

    /// <summary>
    /// Runs the Runner until <paramref name="cancellationToken"/> fires or the process is asked to
    /// stop (SIGTERM, Ctrl-C). Returns 0 after a clean stop; non-zero, after logging why, when it
    /// cannot start.
    /// </summary>
    public static Task<int> RunAsync(RunnerOptions options, CancellationToken cancellationToken) =>
        RunAsync(options, configureServices: null, cancellationToken);

    /// <summary>As <see cref="RunAsync(RunnerOptions, CancellationToken)"/>, letting tests replace services (the machine, systemd's programs, timings).</summary>
    internal static async Task<int> RunAsync(RunnerOptions options, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        OpenFileLimit.RaiseToHardLimit();
        using var host = Build(options, configureServices);
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(RunnerLogging.ApplicationCategory);
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return 0;
        }
        catch (OptionsValidationException ex)
        {
            RunnerLog.CannotStart(logger, string.Join("; ", ex.Failures));
            return InvalidOptionsExitCode;
        }
        catch (InvalidOperationException ex)
        {
            RunnerLog.CannotStart(logger, ex.Message);
            return CannotStartExitCode;
        }

        // Returns once the token fires, a signal arrives, or the run failed; the host is stopped by then.
        await host.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        if (host.Services.GetRequiredService<RunnerService>().ExecuteTask?.Exception?.GetBaseException() is { } failure)
        {
            RunnerLog.Failed(logger, failure.Message, failure);
            return CannotStartExitCode;
        }

        return 0;
    }

    /// <summary>The Runner's host, not started. Its container checks its registrations when built and scopes when used.</summary>
    internal static IHost Build(RunnerOptions options, Action<IServiceCollection>? configureServices)
    {
        ArgumentNullException.ThrowIfNull(options);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            // Not the working directory: an appsettings.json wherever `riverrun runner` was started must not change it.
            ContentRootPath = AppContext.BaseDirectory,
        });
        RunnerLogging.Configure(builder.Logging);
        // The Runner logs its own start and stop; the host's "Application started. Press Ctrl+C" lines would only add noise.
        builder.Services.Configure<ConsoleLifetimeOptions>(lifetime => lifetime.SuppressStatusMessages = true);
        builder.Services.AddRiverRunRunner(options);
        configureServices?.Invoke(builder.Services);
        // A wiring mistake fails here, at every start, not on the first use of a service in production.
        builder.ConfigureContainer(new DefaultServiceProviderFactory(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true }));
        return builder.Build();
    }
}
