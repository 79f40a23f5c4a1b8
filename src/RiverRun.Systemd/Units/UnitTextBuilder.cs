using System.Text;

namespace RiverRun.Systemd.Units;

/// <summary>
/// Writes a unit file's text: a header comment, sections, and directives each preceded by the
/// comment that says why it is there. Lines end with "\n" whatever the platform.
/// </summary>
internal sealed class UnitTextBuilder
{
    private readonly StringBuilder _text = new();

    public UnitTextBuilder Comment(string comment)
    {
        foreach (var line in comment.Split('\n'))
        {
            _text.Append(line.Length == 0 ? "#" : "# " + line).Append('\n');
        }

        return this;
    }

    public UnitTextBuilder Section(string name)
    {
        if (_text.Length > 0)
        {
            _text.Append('\n');
        }

        _text.Append('[').Append(name).Append("]\n");
        return this;
    }

    /// <summary>A directive; <paramref name="why"/> (one or more lines) is written above it.</summary>
    public UnitTextBuilder Directive(string name, string value, string? why = null)
    {
        if (why is not null)
        {
            Comment(why);
        }

        _text.Append(name).Append('=').Append(value).Append('\n');
        return this;
    }

    public override string ToString() => _text.ToString();
}
