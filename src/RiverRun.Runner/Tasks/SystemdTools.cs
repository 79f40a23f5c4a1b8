namespace RiverRun.Runner.Tasks;

/// <summary>The programs the mechanism runs; tests substitute stand-ins.</summary>
internal sealed record SystemdTools
{
    public string SystemdRun { get; init; } = Systemd.SystemdRunCommandBuilder.Executable;

    public string Systemctl { get; init; } = "systemctl";

    public string Getent { get; init; } = "getent";

    public string Chown { get; init; } = "chown";
}
