using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace RiverRun.Systemd.Units;

/// <summary>
/// systemd's unit-file syntax for the values RiverRun puts in its units: command-line words
/// (quoting, escapes, specifiers, variables), unit and instance names, socket addresses.
/// </summary>
public static class UnitSyntax
{
    /// <summary>What an instance name may be, for messages.</summary>
    public const string InstanceRule = "1 to 32 letters, digits, '-' or '_', starting with a letter or digit (e.g. gpu0)";

    private const int MaxInstanceLength = 32;

    // systemd's unit types, the suffix every unit name ends with.
    private static readonly string[] UnitTypes =
        ["service", "socket", "target", "device", "mount", "automount", "swap", "path", "timer", "slice", "scope"];

    /// <summary>A value systemd reads with specifiers expanded (a path in LoadCredential=): '%' doubled, so it stays '%'.</summary>
    public static string EscapeSpecifiers(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Replace("%", "%%", StringComparison.Ordinal);
    }

    /// <summary>
    /// One word of an ExecStart= command line, so that systemd reads back exactly
    /// <paramref name="word"/>: '%' doubled (else a specifier), '$' doubled in arguments (else a
    /// variable), backslash and double quote escaped, and the whole quoted when it holds
    /// whitespace or quotes (or is empty).
    /// </summary>
    /// <param name="word">The word.</param>
    /// <param name="isProgram">
    /// The first word, the program: systemd expands no variables in it, so '$' stays as it is
    /// ("$$" would reach the file system as two dollars; seen with systemd 252).
    /// </param>
    /// <exception cref="ArgumentException">The word holds a control character (a newline would end the directive).</exception>
    public static string CommandWord(string word, bool isProgram = false)
    {
        ArgumentNullException.ThrowIfNull(word);
        var escaped = new StringBuilder(word.Length + 2);
        var quote = word.Length == 0;
        foreach (var c in word)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException($"'{Printable(word)}' contains a control character, which a unit file cannot hold", nameof(word));
            }

            switch (c)
            {
                case '%':
                    escaped.Append("%%");
                    break;
                case '$':
                    escaped.Append(isProgram ? "$" : "$$");
                    break;
                case '\\':
                    escaped.Append(@"\\");
                    quote = true;
                    break;
                case '"':
                    escaped.Append("\\\"");
                    quote = true;
                    break;
                case '\'':
                    escaped.Append('\'');
                    quote = true;
                    break;
                default:
                    escaped.Append(c);
                    quote |= char.IsWhiteSpace(c);
                    break;
            }
        }

        return quote ? $"\"{escaped}\"" : escaped.ToString();
    }

    /// <summary>A whole command line, program first: <see cref="CommandWord"/> of each word, joined by spaces.</summary>
    public static string CommandLine(IEnumerable<string> words) =>
        string.Join(' ', words.Select((word, index) => CommandWord(word, isProgram: index == 0)));

    /// <summary>Null when <paramref name="instance"/> is a valid Runner instance name, else what is wrong.</summary>
    /// <remarks>
    /// Stricter than systemd: the name is also part of a file name (runner-NAME.toml), of the
    /// Runner's node name (node2-NAME) and of its slice, so it keeps to characters valid in all
    /// of them and that systemd needs no escaping for.
    /// </remarks>
    public static string? ValidateInstance(string? instance)
    {
        if (string.IsNullOrEmpty(instance))
        {
            return $"instance name is empty; an instance name is {InstanceRule}";
        }

        if (instance.Length > MaxInstanceLength)
        {
            return $"instance name '{instance}' has {instance.Length} characters; an instance name is {InstanceRule}";
        }

        if (!char.IsAsciiLetterOrDigit(instance[0]))
        {
            return $"instance name '{Printable(instance)}' starts with '{Printable(instance[..1])}'; an instance name is {InstanceRule}";
        }

        var bad = instance.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'));
        return bad == default
            ? null
            : $"instance name '{Printable(instance)}' contains '{Printable(bad.ToString())}'; an instance name is {InstanceRule}";
    }

    /// <summary>
    /// Null when <paramref name="unit"/> can stand in OnFailure=: a unit name with its type
    /// suffix, in systemd's characters, specifiers allowed (e.g. notify-failure@%n.service).
    /// </summary>
    public static string? ValidateUnitName(string? unit)
    {
        const string Expected = "a unit name with its type, e.g. notify-admin.service or failure-mail@%n.service";
        if (string.IsNullOrEmpty(unit))
        {
            return $"unit name is empty; expected {Expected}";
        }

        var bad = unit.FirstOrDefault(c => !char.IsAsciiLetterOrDigit(c) && c is not (':' or '-' or '_' or '.' or '\\' or '@' or '%'));
        if (bad != default)
        {
            return $"unit name '{Printable(unit)}' contains '{Printable(bad.ToString())}'; expected {Expected}";
        }

        var dot = unit.LastIndexOf('.');
        if (dot <= 0 || !UnitTypes.Contains(unit[(dot + 1)..], StringComparer.Ordinal))
        {
            return $"unit name '{unit}' does not end with a unit type (.service, .target, ...); expected {Expected}";
        }

        return unit.Length > 255 ? $"unit name '{unit}' is longer than systemd's 255 characters" : null;
    }

    /// <summary>
    /// A ListenStream= value for <paramref name="endpoint"/>: "127.0.0.1:8700", "[::1]:8700",
    /// "[::]:8700" (systemd parses exactly these forms; a port of its own, never 0).
    /// </summary>
    /// <exception cref="ArgumentException">Port 0: a socket unit cannot ask for "any free port".</exception>
    public static string ListenStream(IPEndPoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        if (endpoint.Port == 0)
        {
            throw new ArgumentException("a socket unit needs a fixed port; port 0 (any free port) cannot be activated by systemd", nameof(endpoint));
        }

        var port = endpoint.Port.ToString(CultureInfo.InvariantCulture);
        return endpoint.AddressFamily == AddressFamily.InterNetworkV6
            ? $"[{endpoint.Address}]:{port}"
            : $"{endpoint.Address}:{port}";
    }

    // Control characters shown escaped, so an error message stays one readable line.
    private static string Printable(string text) =>
        string.Concat(text.Select(c => char.IsControl(c) ? $"\\x{(int)c:x2}" : c.ToString()));
}
