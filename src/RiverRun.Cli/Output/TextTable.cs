using System.Text;

namespace RiverRun.Cli.Output;

/// <summary>
/// A plain text table: a header row and rows of cells, columns left-aligned and separated by two
/// spaces, the last column unpadded (so no line ends in spaces). No colors, no borders: it reads
/// well in a terminal and greps well in a script.
/// </summary>
public sealed class TextTable
{
    private const string Gap = "  ";
    private readonly string[] _headers;
    private readonly List<string[]> _rows = [];

    public TextTable(params string[] headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Length == 0)
        {
            throw new ArgumentException("a table needs at least one column", nameof(headers));
        }

        _headers = headers;
    }

    /// <summary>Adds a row; it must have one cell per column.</summary>
    public void AddRow(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"a row of this table has {_headers.Length} cells, not {cells.Length}", nameof(cells));
        }

        _rows.Add(cells);
    }

    /// <summary>The table, one line per row after the header, each ending in '\n'.</summary>
    public override string ToString()
    {
        var widths = new int[_headers.Length];
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        var text = new StringBuilder();
        foreach (var row in _rows.Prepend(_headers))
        {
            for (var i = 0; i < row.Length; i++)
            {
                var last = i == row.Length - 1;
                text.Append(last ? row[i] : row[i].PadRight(widths[i])).Append(last ? "\n" : Gap);
            }
        }

        return text.ToString();
    }
}
