using System.Text;

namespace RiverRun.Runner.Doctor;

/// <summary>How <c>riverrun doctor</c> prints its checks: one aligned line each, a fix line under a failure or a note, a summary.</summary>
public static class DoctorReport
{
    /// <summary>The text for <paramref name="checks"/>, ending with a newline.</summary>
    public static string Format(IReadOnlyList<DoctorCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var width = checks.Count == 0 ? 0 : checks.Max(c => c.Name.Length);
        var text = new StringBuilder();
        foreach (var check in checks)
        {
            text.Append(!check.Ok ? "FAIL  " : check.IsNote ? "note  " : "ok    ").Append(check.Name.PadRight(width)).Append("  ").Append(check.Detail).Append('\n');
            if (check.Fix is not null)
            {
                text.Append(' ', 6 + width + 2).Append("fix: ").Append(check.Fix).Append('\n');
            }
        }

        var failed = checks.Count(c => !c.Ok);
        var notes = checks.Count(c => c.IsNote);
        text.Append(
            failed > 0 ? $"{failed} of {checks.Count} checks failed\n"
            : notes > 0 ? $"all {checks.Count} checks passed ({notes} with a note): this node can run a Runner\n"
            : $"all {checks.Count} checks passed: this node can run a Runner\n");
        return text.ToString();
    }
}
