namespace RiverRun.Systemd.Tests;

/// <summary>
/// A stand-in systemctl: logs every call (argv joined by '|') and keeps one unit's ActiveState
/// in a file. SIGKILL and stop end the unit; SIGTERM ends it only when the unit "obeys".
/// kill and stop on an ended unit fail like systemctl does for a collected unit.
/// </summary>
internal sealed class FakeSystemctl
{
    private readonly TempDirectory _temp;

    public FakeSystemctl(TempDirectory temp, string initialState = "active", bool obeysSigterm = true, string controlGroup = "")
    {
        _temp = temp;
        File.WriteAllText(temp.Combine("state"), initialState + "\n");
        Path = temp.WriteScript("systemctl", $$"""
            dir='{{temp.Path}}'
            printf '%s|' "$@" >>"$dir/calls"; echo >>"$dir/calls"
            state=$(cat "$dir/state")
            case "$1" in
              show) printf 'ActiveState=%s\nControlGroup=%s\nId=riverrun-x.scope\n' "$state" '{{controlGroup}}' ;;
              is-active) echo "$state"; [ "$state" = active ] ;;
              kill|stop)
                if [ "$state" = inactive ]; then echo "Failed to $1 unit: Unit riverrun-x.scope not loaded." >&2; exit 5; fi
                case "$1 $*" in
                  stop*|*SIGKILL*) echo inactive >"$dir/state" ;;
                  *SIGTERM*) {{(obeysSigterm ? "echo inactive >\"$dir/state\"" : ":")}} ;;
                esac ;;
              list-units) printf 'riverrun-a1.scope loaded active running /bin/sh -c x\n' ;;
              freeze|thaw) echo "Failed to $1 unit: Operation not supported" >&2; exit 1 ;;
            esac
            """);
    }

    public string Path { get; }

    public IReadOnlyList<string> Calls =>
        File.Exists(_temp.Combine("calls")) ? File.ReadAllLines(_temp.Combine("calls")) : [];

    public void SetState(string state) => File.WriteAllText(_temp.Combine("state"), state + "\n");
}
