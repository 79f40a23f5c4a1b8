using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using RiverRun.Cli.Output;
using RiverRun.Cli.Tls;
using RiverRun.Contracts.Tls;
using RiverRun.Host;
using RiverRun.Runner;

namespace RiverRun.Cli.Commands;

/// <summary>
/// <c>riverrun init tls --out DIR [--name NAME]... [--ip ADDRESS]... [--force]</c>: a small CA and
/// a Host certificate signed by it (<see cref="TlsCertificateFactory"/>), written by
/// <see cref="TlsFileSet"/>, and the lines to put where.
/// </summary>
public static class InitTlsCommand
{
    /// <summary>Where the files go unless --out says otherwise.</summary>
    public const string DefaultDirectory = "/etc/riverrun/tls";

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("tls", "Make a small CA and a TLS certificate for the Host");
        CommandHelp.SetDetails(command, $"""
            Writes four files into --out (default {DefaultDirectory}), with no openssl needed:
              ca.crt    the CA's certificate: copy it to every client and Runner (--ca, RIVERRUN_CA, ca = ...)
              ca.key    the CA's private key (mode 0600): whoever holds it can make certificates your
                        clients trust; keep it root-only, or offline
              host.crt  the Host's certificate, signed by the CA, for the names and addresses given
              host.key  the Host's private key (mode 0600)
            The Host's certificate holds every --name and --ip (clients must dial one of them), plus
            localhost, 127.0.0.1 and ::1; without --name it holds this machine's host name. The CA is
            valid for {TlsCertificateFactory.AuthorityLifetime.TotalDays:0} days, the Host's certificate for {TlsCertificateFactory.HostLifetime.TotalDays:0}.
            Never overwrites a file unless --force is given (then all four are new, and clients need
            the new ca.crt). Prints the settings that turn TLS on.

            Examples:
              sudo riverrun init tls --name head --name head.lab.example --ip 10.0.0.1
              riverrun init tls --out ./tls --name localhost
              sudo riverrun init tls --name head --ip 10.0.0.1 --force    # replace them all
            """);
        var output = new Option<string>("--out")
        {
            Description = "The directory to write ca.crt, ca.key, host.crt and host.key into (created when missing)",
            HelpName = "DIR",
            DefaultValueFactory = _ => DefaultDirectory,
        };
        var names = new Option<string[]>("--name")
        {
            Description = "A DNS name clients and Runners use for the Host; repeat for more [default: this machine's host name]",
            HelpName = "NAME",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        names.Validators.Add(result =>
        {
            foreach (var name in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (TlsNames.ValidateName(name) is { } error)
                {
                    result.AddError("--name: " + error);
                }
            }
        });
        var addresses = new Option<string[]>("--ip")
        {
            Description = "An IP address clients and Runners use for the Host; repeat for more",
            HelpName = "ADDRESS",
            Arity = ArgumentArity.OneOrMore,
            AllowMultipleArgumentsPerToken = false,
        };
        addresses.Validators.Add(result =>
        {
            foreach (var address in result.GetValueOrDefault<string[]>() ?? [])
            {
                if (!TlsNames.TryParseAddress(address, out _, out var error))
                {
                    result.AddError("--ip: " + error);
                }
            }
        });
        var force = new Option<bool>("--force") { Description = "Replace the files if they exist (all four are made new)" };
        command.Options.Add(output);
        command.Options.Add(names);
        command.Options.Add(addresses);
        command.Options.Add(force);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var files = new TlsFileSet(parseResult.GetRequiredValue(output));
            var existing = files.Existing();
            if (existing.Count > 0 && !parseResult.GetValue(force))
            {
                throw CliException.Usage(
                    $"{string.Join(", ", existing)} already exist{(existing.Count == 1 ? "s" : string.Empty)}; nothing was written. Give another --out, or --force to replace all four (clients and Runners then need the new ca.crt)");
            }

            var dnsNames = TlsNames.WithLoopback(parseResult.GetValue(names) ?? [], Environment.MachineName.ToLowerInvariant());
            var ipAddresses = TlsNames.WithLoopback((parseResult.GetValue(addresses) ?? []).Select(ParseAddress).ToList());
            var now = services.Context.Time.GetUtcNow();
            using var authority = TlsCertificateFactory.CreateAuthority(TlsCertificateFactory.AuthorityName(dnsNames[0], now), now, TlsCertificateFactory.AuthorityLifetime);
            using var hostCertificate = TlsCertificateFactory.CreateHostCertificate(authority, dnsNames, ipAddresses, now, TlsCertificateFactory.HostLifetime);
            await files.WriteAsync(
                TlsCertificateFactory.CertificatePem(authority),
                TlsCertificateFactory.PrivateKeyPem(authority),
                TlsCertificateFactory.CertificatePem(hostCertificate),
                TlsCertificateFactory.PrivateKeyPem(hostCertificate),
                cancellationToken).ConfigureAwait(false);
            await services.Context.Out.WriteAsync(Report(files, authority, hostCertificate, dnsNames[0])).ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>What was written and what to do next: the host.toml lines, the Runners' and clients' settings.</summary>
    public static string Report(TlsFileSet files, X509Certificate2 authority, X509Certificate2 hostCertificate, string hostName)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(authority);
        ArgumentNullException.ThrowIfNull(hostCertificate);
        var ca = files.PathOf(TlsFileSet.CaCertificate);
        var url = $"https://{hostName}:8700";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"""
            Wrote {files.Directory}:
              {TlsFileSet.CaCertificate}    the CA's certificate, valid until {Date(authority.NotAfter)}: copy it to every client and Runner
              {TlsFileSet.CaKey}    the CA's private key (mode 0600): it makes certificates your clients trust; keep it root-only or offline
              {TlsFileSet.HostCertificate}  the Host's certificate, valid until {Date(hostCertificate.NotAfter)}, for {HostCertificatePolicy.DescribeNames(hostCertificate)}
              {TlsFileSet.HostKey}  the Host's private key (mode 0600)

            Next steps:
              1. The Host: in {HostConfiguration.DefaultPath}
                   {HostSettings.TlsCertificate} = "{files.PathOf(TlsFileSet.HostCertificate)}"
                   {HostSettings.TlsKey} = "{files.PathOf(TlsFileSet.HostKey)}"
                 (or --tls-cert/--tls-key). As a service: run `riverrun init service --host --install`
                 again, so systemd hands both files to the Host's own user (LoadCredential=; the key
                 stays root's, mode 0600), then `systemctl restart riverrun-host`.
              2. Each Runner: copy {TlsFileSet.CaCertificate} there, and in {RunnerConfiguration.DefaultPath}
                   host = "{url}"
                   {RunnerSettings.TrustedCa} = "{ca}"
              3. Clients: riverrun --host {url} --ca {ca} nodes
                 or export {HostConnection.HostVariable}={url} {HostConnection.CaVariable}={ca}
              Clients must dial one of the certificate's names or addresses.

            """);
        return text.ToString();
    }

    private static IPAddress ParseAddress(string text) =>
        TlsNames.TryParseAddress(text, out var address, out var error) ? address : throw CliException.Usage("--ip: " + error);

    private static string Date(DateTime time) => time.ToUniversalTime().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
