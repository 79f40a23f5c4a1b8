using System.Runtime.Versioning;

namespace RiverRun.Systemd.Units;

/// <summary>Writes a unit file into a directory: mode 0644, replaced atomically (systemd never reads half a file).</summary>
[UnsupportedOSPlatform("windows")]
public static class UnitFileWriter
{
    private const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Writes <paramref name="unit"/> into <paramref name="directory"/>; returns its path.</summary>
    public static string Write(string directory, UnitFile unit)
    {
        ArgumentNullException.ThrowIfNull(unit);
        var path = Path.Join(directory, unit.FileName);
        var temporary = Path.Join(directory, $".{unit.FileName}.{Environment.ProcessId}.tmp");
        using (var stream = new FileStream(temporary, new FileStreamOptions
        {
            Mode = FileMode.Create,
            Access = FileAccess.Write,
            UnixCreateMode = Mode,
        }))
        using (var writer = new StreamWriter(stream))
        {
            writer.Write(unit.Text);
        }

        // The umask may have narrowed the create mode; units must be readable by systemctl users.
        File.SetUnixFileMode(temporary, Mode);
        File.Move(temporary, path, overwrite: true);
        return path;
    }
}
