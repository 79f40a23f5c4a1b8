using System.Text;

namespace RiverRun.Runner;

/// <summary>
/// Each Runner instance runs its tasks in a slice of its own, riverrun-&lt;name&gt;.slice, a child
/// of riverrun.slice: several Runners on one machine (riverrun-runner@.service) then have their
/// tasks apart, and <c>systemctl status riverrun.slice</c> shows all tasks of the machine.
/// </summary>
/// <remarks>
/// systemd reads '-' in a slice name as nesting ("riverrun-a-b.slice" lives in
/// "riverrun-a.slice"), so a '-' inside the Runner's name is escaped as "\x2d", as
/// systemd-escape does: the Runners "node2" and "node2-a" get sibling slices.
/// </remarks>
internal static class RunnerSlice
{
    public const string Parent = "riverrun.slice";

    public static string For(string runnerName)
    {
        ArgumentException.ThrowIfNullOrEmpty(runnerName);
        var escaped = new StringBuilder("riverrun-");
        foreach (var c in runnerName)
        {
            escaped.Append(c == '-' ? "\\x2d" : c.ToString());
        }

        return escaped.Append(".slice").ToString();
    }
}
