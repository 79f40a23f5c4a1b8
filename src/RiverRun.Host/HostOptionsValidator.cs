using System.Globalization;
using Microsoft.Extensions.Options;
using RiverRun.Core;
using RiverRun.Host.Tls;

namespace RiverRun.Host;

/// <summary>
/// Checks <see cref="HostOptions"/> when the Host starts, before it opens anything. Each failure
/// starts with where the value came from — the flag, the RIVERRUN_* variable, or the file, line and
/// key (<see cref="HostOptions.Origins"/>) — or the option's name where there is no flag, and every
/// problem is reported, not just the first. The TLS files are read here, so a broken certificate
/// stops the start like any bad option; whether the data directory can be created and written is
/// found out by <see cref="HostDataDirectory"/> at start.
/// </summary>
internal sealed class HostOptionsValidator(TimeProvider time) : IValidateOptions<HostOptions>
{
    private const long MinimumKeptOutput = 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, HostOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (!ListenAddress.TryParse(options.Listen, out var listen, out var listenError))
        {
            failures.Add($"{options.Origins.Name(HostSettings.Listen)}: {listenError}");
        }

        if (!HttpListenAddress.TryParse(options.HttpListen, out var http, out var httpError))
        {
            failures.Add($"{options.Origins.Name(HostSettings.HttpListen)}: {httpError}");
        }
        else if (http is { Port: not 0 } && listen is { } grpc && grpc.Port == http.Port)
        {
            // One port cannot be both: the endpoints are told apart by the port a request came in on.
            failures.Add($"{options.Origins.Name(HostSettings.HttpListen)}: {options.HttpListen.Trim()} uses port {http.Port}, which --listen ({options.Listen.Trim()}) already uses; give it another port (the default is {new HostOptions().HttpListen}) or '{HttpListenAddress.None}'");
        }

        if (string.IsNullOrWhiteSpace(options.DataDirectory))
        {
            failures.Add($"{options.Origins.Name(HostSettings.DataDirectory)}: no directory given; give one for riverrun.db and task output, e.g. /var/lib/riverrun");
        }

        if (options.TlsCertificate is null != options.TlsKey is null)
        {
            var (given, missing) = options.TlsCertificate is null ? (HostSettings.TlsKey, HostSettings.TlsCertificate) : (HostSettings.TlsCertificate, HostSettings.TlsKey);
            failures.Add($"{options.Origins.Name(given)} is set but {options.Origins.Name(missing)} is not; TLS needs both the certificate and its key (host.crt and host.key from `riverrun init tls`)");
        }
        else if (options.TlsCertificate is { } certificatePath && options.TlsKey is { } keyPath)
        {
            if (HostCertificateFiles.TryLoad(certificatePath, keyPath, time.GetUtcNow(), out var certificate, out var tlsError))
            {
                certificate.Dispose();
            }
            else
            {
                failures.Add($"{options.Origins.Name(HostSettings.TlsCertificate)}, {options.Origins.Name(HostSettings.TlsKey)}: {tlsError}");
            }
        }

        // Below a few seconds a Runner restart or a network blip would lose its tasks; beyond a week
        // they hold their node's capacity so long it is surely a typo.
        if (options.NodeLostAfter < TimeSpan.FromSeconds(5) || options.NodeLostAfter > TimeSpan.FromDays(7))
        {
            failures.Add($"{options.Origins.Name(HostSettings.NodeLostAfter)}: {DurationParser.Format(options.NodeLostAfter)} is out of range; use 5s to 7d");
        }

        // Under an hour a task could vanish before anyone looked at it; ten years is "forever" with a typo guard.
        if (options.KeepFinishedFor < TimeSpan.FromHours(1) || options.KeepFinishedFor > TimeSpan.FromDays(3650))
        {
            failures.Add($"{options.Origins.Name(HostSettings.KeepFinishedFor)}: {DurationParser.Format(options.KeepFinishedFor)} is out of range; use 1h to 3650d");
        }

        if (options.KeepOutputBytes < MinimumKeptOutput)
        {
            failures.Add($"{options.Origins.Name(HostSettings.KeepOutput)}: {new ByteSize(options.KeepOutputBytes)} is too small to keep the output of even one ordinary task; use at least {new ByteSize(MinimumKeptOutput)}");
        }

        if (options.HeartbeatInterval < TimeSpan.FromMilliseconds(100) || options.HeartbeatInterval > TimeSpan.FromHours(1))
        {
            failures.Add($"{nameof(HostOptions.HeartbeatInterval)}: {options.HeartbeatInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s is out of range; use 0.1 s to 1 h");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
