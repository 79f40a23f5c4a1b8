namespace RiverRun.Systemd.Units;

/// <summary>Which units `riverrun init service` writes.</summary>
[Flags]
public enum ServiceRoles
{
    None = 0,
    Host = 1,
    Runner = 2,
    All = Host | Runner,
}

/// <summary>Every unit file for the roles asked, in a stable order. Pure.</summary>
public static class ServiceUnits
{
    /// <exception cref="ArgumentException">The options are invalid (<see cref="ServiceUnitOptions.Validate"/>) or no role is asked.</exception>
    public static IReadOnlyList<UnitFile> Generate(ServiceRoles roles, ServiceUnitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (roles == ServiceRoles.None)
        {
            throw new ArgumentException("no role: ask for the Host, the Runner or both", nameof(roles));
        }

        if (options.Validate() is [var first, ..])
        {
            throw new ArgumentException(first, nameof(options));
        }

        var units = new List<UnitFile>();
        if (roles.HasFlag(ServiceRoles.Host))
        {
            units.Add(HostUnits.Service(options));
            units.Add(HostUnits.Socket(options));
        }

        if (roles.HasFlag(ServiceRoles.Runner))
        {
            units.Add(RunnerUnits.Service(options));
            units.Add(RunnerUnits.Template(options));
        }

        return units;
    }
}
