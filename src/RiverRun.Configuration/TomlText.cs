using System.Globalization;
using System.Text;

namespace RiverRun.Configuration;

/// <summary>Writes values as TOML literals, for the files <c>riverrun init config</c> writes.</summary>
public static class TomlText
{
    /// <summary>A TOML basic string: "text", with quotes, backslashes and control characters escaped.</summary>
    public static string Quote(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder("\"");
        foreach (var c in value)
        {
            builder.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("X4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return builder.Append('"').ToString();
    }
}
