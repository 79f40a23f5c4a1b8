using System.Globalization;
using System.Text.RegularExpressions;

namespace RiverRun.Systemd;

/// <summary>
/// The systemd major version, detected once: command-line features differ by version
/// (e.g. --expand-environment arrived in 254).
/// </summary>
public static partial class SystemdVersion
{
    /// <summary>The first version whose systemd-run knows --expand-environment.</summary>
    public const int ExpandEnvironmentOptionSince = 254;

    /// <summary>
    /// Parses the first line of <c>systemd-run --version</c>, e.g.
    /// "systemd 252 (252.38-1~deb12u1)" → 252. Returns null when it is not such a line.
    /// </summary>
    public static int? Parse(string versionOutput)
    {
        ArgumentNullException.ThrowIfNull(versionOutput);
        var firstLine = versionOutput.Split('\n', 2)[0];
        var match = VersionLine().Match(firstLine);
        return match.Success && int.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var version)
            ? version
            : null;
    }

    /// <summary>Runs <c>systemd-run --version</c> and parses it.</summary>
    /// <exception cref="InvalidOperationException">systemd-run failed or printed something unexpected.</exception>
    /// <exception cref="CommandStartException">systemd-run is not installed.</exception>
    public static async Task<int> DetectAsync(string systemdRun = SystemdRunCommandBuilder.Executable, CancellationToken cancellationToken = default)
    {
        var result = await Commands.Wrap(systemdRun).WithArguments(["--version"]).StartBuffered(cancellationToken).ConfigureAwait(false);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"'{systemdRun} --version' exited with {result.ExitCode}: {result.StandardError.Trim()}");
        }

        return Parse(result.StandardOutput)
            ?? throw new InvalidOperationException($"Cannot read a systemd version from '{systemdRun} --version': {result.StandardOutput.Split('\n', 2)[0]}");
    }

    [GeneratedRegex(@"^\s*systemd\s+([0-9]+)(?:\s|$)")]
    private static partial Regex VersionLine();
}
