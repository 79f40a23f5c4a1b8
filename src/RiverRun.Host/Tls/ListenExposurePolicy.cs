using System.Net;

namespace RiverRun.Host.Tls;

/// <summary>What the Host does about where it listens: listen, listen with a warning, or refuse (and why).</summary>
/// <param name="Refusal">Why the Host must not start, with how to fix it; null when it may.</param>
/// <param name="Warning">What to warn about at this start (an --insecure exposure); null for nothing.</param>
public sealed record ListenExposure(string? Refusal, string? Warning)
{
    /// <summary>Whether the Host may start.</summary>
    public bool Allowed => Refusal is null;
}

/// <summary>
/// Whether the Host may listen where it is asked to. Beyond loopback (0.0.0.0, ::, any other
/// address, also a socket systemd passed) it needs TLS — or tokens and task data cross the
/// network in clear — and at least one token — or every caller is trusted as admin. Without both
/// it refuses, unless the operator said <c>--insecure</c>, which is then warned about at every
/// start. On loopback every user of the machine can connect anyway, so TLS adds nothing there.
/// Pure: the caller finds out the address and the facts.
/// </summary>
public static class ListenExposurePolicy
{
    public static ListenExposure Decide(IPEndPoint listening, bool tlsConfigured, bool tokensExist, bool insecure)
    {
        ArgumentNullException.ThrowIfNull(listening);
        var missing = new List<string>();
        if (!tlsConfigured)
        {
            missing.Add("TLS is not configured (calls, tokens and task output cross the network in clear)");
        }

        if (!tokensExist)
        {
            missing.Add("no token exists (every caller is trusted as admin: anyone who reaches it can run commands on every node as root)");
        }

        if (IsLoopback(listening.Address))
        {
            return new ListenExposure(null, insecure
                ? $"--insecure is set, but {listening} is loopback, where it changes nothing; remove it"
                : null);
        }

        if (missing.Count == 0)
        {
            return new ListenExposure(null, insecure
                ? $"--insecure is set, but TLS and tokens are both configured, so it changes nothing; remove it"
                : null);
        }

        var what = string.Join(", and ", missing);
        if (insecure)
        {
            return new ListenExposure(null, $"INSECURE: listening on {listening}, beyond loopback, although {what}. Started with --insecure (insecure = true); set up TLS and tokens and remove it: {HowTo}");
        }

        return new ListenExposure(
            $"refusing to listen on {listening}, beyond loopback: {what}. Set them up: {HowTo}. Or listen on loopback only (--listen 127.0.0.1:8700), or, on a network you trust completely, start with --insecure",
            null);
    }

    /// <summary>Whether <paramref name="address"/> reaches this machine only (127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6).</summary>
    public static bool IsLoopback(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);
    }

    private const string HowTo =
        "`riverrun init tls --out /etc/riverrun/tls --name HOSTNAME --ip ADDRESS`, then tls_cert and tls_key in host.toml (or --tls-cert/--tls-key); "
        + "`riverrun init token` on this machine for the first admin token, then `riverrun token create` for users and Runners";
}
