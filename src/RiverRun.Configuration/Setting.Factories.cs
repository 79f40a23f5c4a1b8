using System.Globalization;
using RiverRun.Core;

namespace RiverRun.Configuration;

/// <summary>
/// Settings by kind of value, each in the syntax the flags already use: text, durations ("10m"),
/// sizes ("16G"), cores ("0.5"), Host addresses. A service's table is a list of these, one line each.
/// </summary>
public static class Setting
{
    /// <summary>A string that must not be empty; <paramref name="check"/> may refuse more.</summary>
    public static Setting<T> Text<T>(string key, string helpName, string description, Func<T, string> get, Action<T, string> set, Func<string, string?>? check = null) => new()
    {
        Key = key,
        HelpName = helpName,
        Description = description,
        Accepts = TomlTypes.String,
        WrittenAs = TomlTypes.String,
        Format = get,
        Apply = (options, text) =>
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return "is empty";
            }

            if (check?.Invoke(text) is { } error)
            {
                return error;
            }

            set(options, text);
            return null;
        },
    };

    /// <summary>A string that may be left unset (null), e.g. a name that defaults to the hostname.</summary>
    public static Setting<T> OptionalText<T>(string key, string helpName, string description, Func<T, string?> get, Action<T, string> set, string unsetMeans, string example, Func<string, string?>? check = null) =>
        new()
        {
            Key = key,
            HelpName = helpName,
            Description = description,
            Accepts = TomlTypes.String,
            WrittenAs = TomlTypes.String,
            Format = get,
            UnsetMeans = unsetMeans,
            Example = example,
            Apply = (options, text) =>
            {
                if (check?.Invoke(text) is { } error)
                {
                    return error;
                }

                set(options, text);
                return null;
            },
        };

    /// <summary>
    /// On or off: true or false in the file, "true"/"false" (also 1/0, yes/no) in a variable; the
    /// flag alone (<c>--insecure</c>) means true. <see cref="Setting{TOptions}.IsSwitch"/> tells the flag builder.
    /// </summary>
    public static Setting<T> Switch<T>(string key, string description, Func<T, bool> get, Action<T, bool> set) => new()
    {
        Key = key,
        HelpName = "true|false",
        Description = description,
        Accepts = TomlTypes.Boolean,
        WrittenAs = TomlTypes.Boolean,
        IsSwitch = true,
        Format = options => get(options) ? "true" : "false",
        Apply = (options, text) =>
        {
            switch (text.Trim().ToLowerInvariant())
            {
                case "true" or "1" or "yes":
                    set(options, true);
                    return null;
                case "false" or "0" or "no":
                    set(options, false);
                    return null;
                default:
                    return $"'{text}' is not true or false";
            }
        },
    };

    /// <summary>A positive duration: "30s", "10m", "1h30m" (<see cref="DurationParser"/>).</summary>
    public static Setting<T> Duration<T>(string key, string description, Func<T, TimeSpan> get, Action<T, TimeSpan> set) => new()
    {
        Key = key,
        HelpName = "DURATION",
        Description = description,
        Accepts = TomlTypes.String,
        WrittenAs = TomlTypes.String,
        Format = options => DurationParser.Format(get(options)),
        Apply = (options, text) =>
        {
            if (!DurationParser.TryParse(text, out var value, out var error))
            {
                return error;
            }

            set(options, value);
            return null;
        },
    };

    /// <summary>A size in bytes: "16G", "512M" (powers of 1024), or a whole number of bytes; null when unset.</summary>
    public static Setting<T> Size<T>(string key, string description, Func<T, long?> get, Action<T, long> set, string unsetMeans, string example) => new()
    {
        Key = key,
        HelpName = "SIZE",
        Description = description,
        Accepts = TomlTypes.String | TomlTypes.Integer,
        WrittenAs = TomlTypes.String,
        Format = options => get(options) is { } bytes ? new ByteSize(bytes).ToString() : null,
        UnsetMeans = unsetMeans,
        Example = example,
        Apply = (options, text) =>
        {
            if (!ByteSize.TryParse(text, out var size, out var error))
            {
                return error;
            }

            set(options, size.Bytes);
            return null;
        },
    };

    /// <summary>A number of cores, fractions allowed: 8, 3.5, 0.5 (<see cref="CoreCount"/>); null when unset.</summary>
    public static Setting<T> Cores<T>(string key, string description, Func<T, double?> get, Action<T, double> set, string unsetMeans, string example) => new()
    {
        Key = key,
        HelpName = "N",
        Description = description,
        Accepts = TomlTypes.String | TomlTypes.Integer | TomlTypes.Float,
        WrittenAs = TomlTypes.Float,
        Format = options => get(options) is { } cores ? cores.ToString("0.##", CultureInfo.InvariantCulture) : null,
        UnsetMeans = unsetMeans,
        Example = example,
        Apply = (options, text) =>
        {
            if (!CoreCount.TryParse(text, out var count, out var error))
            {
                return error;
            }

            set(options, count.Cores);
            return null;
        },
    };

    /// <summary>
    /// A Host address: http://HOST:PORT or https://HOST:PORT; a bare HOST:PORT means http://, as
    /// for the client's --host.
    /// </summary>
    public static Setting<T> HostAddress<T>(string key, string description, Func<T, Uri> get, Action<T, Uri> set) => new()
    {
        Key = key,
        HelpName = "URL",
        Description = description,
        Accepts = TomlTypes.String,
        WrittenAs = TomlTypes.String,
        Format = options => get(options).OriginalString,
        Apply = (options, text) =>
        {
            var raw = text.Trim();
            // "head:8700" would read as a URI with the scheme "head".
            var address = (raw.Contains("://", StringComparison.Ordinal) ? raw : "http://" + raw).TrimEnd('/');
            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                return $"'{text}' is not a Host address; use http://HOST:PORT or https://HOST:PORT, e.g. http://head:8700";
            }

            set(options, uri);
            return null;
        },
    };
}
