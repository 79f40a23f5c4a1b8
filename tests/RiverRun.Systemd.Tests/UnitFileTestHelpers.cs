using System.Net;
using RiverRun.Systemd.Units;

namespace RiverRun.Systemd.Tests;

internal static class UnitFileTestHelpers
{
    public static ServiceUnitOptions Options() => new()
    {
        Executable = "/usr/local/bin/riverrun",
        HostListen = IPEndPoint.Parse("127.0.0.1:8700"),
    };

    /// <summary>The file's section headers and directives, in order, without comments and blank lines.</summary>
    public static string[] Directives(UnitFile unit) =>
        unit.Text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).ToArray();

    /// <summary>The comment lines right above the first line that is <paramref name="directive"/>.</summary>
    public static string CommentAbove(UnitFile unit, string directive)
    {
        var lines = unit.Text.Split('\n');
        var index = Array.IndexOf(lines, directive);
        Assert.True(index >= 0, $"{directive} is not a line of {unit.FileName}");
        var comment = new List<string>();
        for (var i = index - 1; i >= 0 && lines[i].StartsWith('#'); i--)
        {
            comment.Insert(0, lines[i]);
        }

        return string.Join('\n', comment);
    }
}
