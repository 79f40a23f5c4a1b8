using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace RiverRun.Contracts.Tls;

/// <summary>
/// The names and addresses a Host certificate is made for (<c>riverrun init tls --name/--ip</c>):
/// checked one by one, with the loopback ones always added so the CLI on the Host's own machine
/// connects too.
/// </summary>
public static class TlsNames
{
    /// <summary>Always in a Host certificate: clients on the Host's own machine dial these.</summary>
    public static IReadOnlyList<string> LoopbackNames { get; } = ["localhost"];

    /// <summary>Always in a Host certificate (127.0.0.1 and ::1).</summary>
    public static IReadOnlyList<IPAddress> LoopbackAddresses { get; } = [IPAddress.Loopback, IPAddress.IPv6Loopback];

    /// <summary>Null when <paramref name="name"/> is a DNS name a certificate may hold (letters, digits, '-', dots; ≤ 253 characters); else why not.</summary>
    public static string? ValidateName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length is 0 or > 253)
        {
            return $"'{name}' is not a host name: it must have 1 to 253 characters";
        }

        if (IPAddress.TryParse(name, out _) && !name.Any(char.IsLetter))
        {
            return $"'{name}' is an address, not a name; give it with --ip";
        }

        foreach (var label in name.Split('.'))
        {
            if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-'
                || !label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
            {
                return $"'{name}' is not a host name: each dot-separated part must be 1 to 63 letters, digits or '-', not starting or ending with '-' (e.g. head, head.lab.example)";
            }
        }

        return null;
    }

    /// <summary>Parses an IPv4 or IPv6 address as a certificate holds it; on failure <paramref name="error"/> says why.</summary>
    public static bool TryParseAddress(string text, [NotNullWhen(true)] out IPAddress? address, [NotNullWhen(false)] out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var trimmed = text.Trim().TrimStart('[').TrimEnd(']');
        // The dot count refuses IPAddress's lenient forms ("10.1", "167772161"), which nobody means.
        if (IPAddress.TryParse(trimmed, out address)
            && (address.AddressFamily == AddressFamily.InterNetworkV6 || trimmed.Count(c => c == '.') == 3))
        {
            error = null;
            return true;
        }

        address = null;
        error = $"'{text}' is not an IP address; give an IPv4 address like 10.0.0.5 or an IPv6 one like fd00::5 (names go with --name)";
        return false;
    }

    /// <summary>
    /// The names for a certificate: those given (or, when none is given, <paramref name="machineName"/>)
    /// followed by localhost; duplicates dropped, case ignored.
    /// </summary>
    public static IReadOnlyList<string> WithLoopback(IReadOnlyList<string> given, string machineName)
    {
        ArgumentNullException.ThrowIfNull(given);
        var names = given.Count > 0 ? given : [machineName];
        return names.Concat(LoopbackNames).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    /// <summary>The addresses for a certificate: those given followed by 127.0.0.1 and ::1, duplicates dropped.</summary>
    public static IReadOnlyList<IPAddress> WithLoopback(IReadOnlyList<IPAddress> given)
    {
        ArgumentNullException.ThrowIfNull(given);
        return given.Concat(LoopbackAddresses).Distinct().ToList();
    }
}
