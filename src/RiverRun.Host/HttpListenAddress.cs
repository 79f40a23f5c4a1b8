using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace RiverRun.Host;

/// <summary>
/// The address of the Host's plain HTTP endpoint (<c>--http-listen</c>): a
/// <see cref="ListenAddress"/>, or "none" to serve no /healthz and /metrics.
/// </summary>
public static class HttpListenAddress
{
    /// <summary>The value that turns the HTTP endpoint off.</summary>
    public const string None = "none";

    /// <summary>Whether <paramref name="text"/> turns the HTTP endpoint off.</summary>
    public static bool IsNone(string? text) => string.Equals(text?.Trim(), None, StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The endpoint for <paramref name="text"/>, or null for "none"; on failure
    /// <paramref name="error"/> says why (and that "none" turns it off).
    /// </summary>
    public static bool TryParse(string? text, out IPEndPoint? endpoint, [NotNullWhen(false)] out string? error)
    {
        endpoint = null;
        if (IsNone(text))
        {
            error = null;
            return true;
        }

        if (ListenAddress.TryParse(text, out var parsed, out var listenError))
        {
            endpoint = parsed;
            error = null;
            return true;
        }

        error = $"{listenError}, or '{None}' to serve no /healthz and /metrics";
        return false;
    }
}
