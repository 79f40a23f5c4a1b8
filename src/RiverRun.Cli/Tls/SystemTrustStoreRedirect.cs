using RiverRun.Systemd.Processes;

namespace RiverRun.Cli.Tls;

/// <summary>
/// With <c>--ca</c>, makes the CA file this process's whole "system" trust store. The Host's
/// certificate is judged against that CA alone anyway (HostCertificatePolicy), but .NET's TLS on
/// Linux first builds a chain against the system store whatever the options say, and loading it
/// means reading and parsing every file under /etc/ssl/certs: about 50 ms of a 70 ms
/// <c>riverrun list</c>. OpenSSL and .NET take the store's location from SSL_CERT_FILE and
/// SSL_CERT_DIR, read from the C library's environment, so those are set there.
/// Only for a process that is the CLI alone: nothing else in it may want the real system store.
/// </summary>
public static class SystemTrustStoreRedirect
{
    /// <summary>The variables that make <paramref name="caFile"/> the only trust anchor: its full path as the store's file, and no store directory.</summary>
    public static IReadOnlyList<(string Name, string Value)> VariablesFor(string caFile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caFile);
        // Full path: the store is read when the first connection is made, not here.
        return [("SSL_CERT_FILE", Path.GetFullPath(caFile)), ("SSL_CERT_DIR", "")];
    }

    /// <summary>Sets <see cref="VariablesFor"/> in this process; call before its first TLS connection.</summary>
    public static void Apply(string caFile)
    {
        foreach (var (name, value) in VariablesFor(caFile))
        {
            NativeEnvironment.Set(name, value);
        }
    }
}
