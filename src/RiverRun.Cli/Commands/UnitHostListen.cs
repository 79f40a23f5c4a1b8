using System.Net;
using RiverRun.Configuration;
using RiverRun.Host;

namespace RiverRun.Cli.Commands;

/// <summary>
/// The address riverrun-host.socket listens on — the Host's <c>listen</c> setting — and the TLS
/// files riverrun-host.service hands to the Host, read from its configuration file exactly the way
/// the Host reads it.
/// </summary>
public static class UnitHostListen
{
    /// <summary>
    /// The listen address in <paramref name="hostConfigPath"/> (null: the default file, which may be
    /// missing), else the Host's default. The environment of this shell is not consulted: the
    /// service gets its environment from its EnvironmentFile, not from whoever installs it.
    /// </summary>
    /// <exception cref="CliException">The file or its listen value is wrong (exit 2, naming the file, line and key).</exception>
    public static IPEndPoint Resolve(string? hostConfigPath) => Load(hostConfigPath).Listen;

    /// <summary>
    /// The listen address and the TLS files (<c>tls_cert</c>, <c>tls_key</c>; null without TLS) in
    /// <paramref name="hostConfigPath"/>, as absolute paths: the Host runs from /.
    /// </summary>
    /// <exception cref="CliException">The file or its values are wrong (exit 2, naming the file, line and key).</exception>
    public static (IPEndPoint Listen, string? TlsCertificate, string? TlsKey) Load(string? hostConfigPath)
    {
        HostOptions options;
        try
        {
            options = HostConfiguration.Load(hostConfigPath, _ => null);
        }
        catch (ConfigurationException ex)
        {
            throw SettingFlags.ToUsageError(ex);
        }

        if (!ListenAddress.TryParse(options.Listen, out var endpoint, out var error))
        {
            throw CliException.Usage($"{options.Origins.Name("listen")}: {error}");
        }

        return (endpoint, Absolute(options.TlsCertificate), Absolute(options.TlsKey));
    }

    private static string? Absolute(string? path) => path is null ? null : Path.GetFullPath(path, "/");
}
