namespace RiverRun.Systemd;

/// <summary>
/// Does a scope still have processes? systemd's ActiveState alone is not enough: on cgroup v1
/// inside a container (the sandbox's nodes) systemd gets no "cgroup empty" notification, and a
/// scope whose processes have all exited stays "active" until it is stopped. So an active state
/// is confirmed against the cgroup's process list whenever that can be read.
/// </summary>
public sealed class ScopeLiveness
{
    private readonly Systemctl _systemctl;
    private readonly CgroupLayout? _layout;

    /// <param name="systemctl">For the unit's state and cgroup path.</param>
    /// <param name="layout">Where cgroups are mounted; null to trust systemd's state alone.</param>
    public ScopeLiveness(Systemctl systemctl, CgroupLayout? layout)
    {
        ArgumentNullException.ThrowIfNull(systemctl);
        _systemctl = systemctl;
        _layout = layout;
    }

    public async Task<bool> IsAliveAsync(string unit, CancellationToken cancellationToken = default)
    {
        var properties = await _systemctl.ShowAsync(unit, ["ActiveState", "ControlGroup"], cancellationToken).ConfigureAwait(false);
        if (!properties.TryGetValue("ActiveState", out var state) || !Systemctl.CanHaveProcesses(state))
        {
            return false;
        }

        if (_layout is null || !properties.TryGetValue("ControlGroup", out var path) || !path.StartsWith('/'))
        {
            return true;
        }

        // Unreadable process list: systemd's word is all there is.
        return new ScopeCgroup(_layout, path).ReadProcessIds() is not { Count: 0 };
    }
}
