using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace RiverRun.Host;

/// <summary>
/// Parses the Host's listen address: "host:port" where host is an IPv4 address, a bracketed IPv6
/// address or "localhost" ("127.0.0.1:8700", "[::1]:8700", "0.0.0.0:8700", "[::]:8700").
/// </summary>
/// <remarks>
/// Only literal addresses (and localhost): Kestrel binds sockets, not names, and a name that
/// resolves differently later would silently move the Host. Port 0 picks a free port (tests).
/// </remarks>
public static class ListenAddress
{
    private const string Expected = "host:port with an IPv4 address, [IPv6] address or localhost, e.g. 127.0.0.1:8700, [::1]:8700 or 0.0.0.0:8700";

    /// <summary>The endpoint for <paramref name="text"/>; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        var trimmed = text?.Trim() ?? string.Empty;
        var colon = trimmed.LastIndexOf(':');
        if (trimmed.Length == 0 || colon <= 0 || colon == trimmed.Length - 1)
        {
            error = $"listen address '{trimmed}' is not {Expected}";
            return false;
        }

        var host = trimmed[..colon];
        var portText = trimmed[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > IPEndPoint.MaxPort)
        {
            error = $"listen address '{trimmed}' has port '{portText}'; a port is a number from 0 to 65535";
            return false;
        }

        IPAddress? address;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = IPAddress.Loopback;
        }
        else if (host.StartsWith('[') && host.EndsWith(']'))
        {
            if (!IPAddress.TryParse(host[1..^1], out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
            {
                error = $"listen address '{trimmed}' has '{host}', which is not a bracketed IPv6 address; expected {Expected}";
                return false;
            }
        }
        else if (host.Contains(':', StringComparison.Ordinal))
        {
            error = $"listen address '{trimmed}' looks like an IPv6 address without brackets; write it as [{host}]:{portText}";
            return false;
        }
        else if (!IPAddress.TryParse(host, out address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork
            || host.Count(c => c == '.') != 3)
        {
            // The dot count refuses IPAddress's lenient forms ("127.1", "2130706433"), which nobody means.
            error = $"listen address '{trimmed}' has host '{host}', which is not an IP address or localhost; expected {Expected}";
            return false;
        }

        endpoint = new IPEndPoint(address, port);
        error = null;
        return true;
    }

    /// <summary>The endpoint for <paramref name="text"/>; throws <see cref="HostConfigurationException"/> when it is not one.</summary>
    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var endpoint, out var error) ? endpoint : throw new HostConfigurationException(error);
}
