namespace RiverRun.Cli;

/// <summary>
/// Where the CLI finds its token: RIVERRUN_TOKEN, else <c>$HOME/.config/riverrun/token</c>.
/// Never a command-line option: it would show in ps. The file is refused while group or others
/// may read it: a token readable by other users is as good as theirs.
/// </summary>
public static class ClientToken
{
    /// <summary>The token file, as messages name it.</summary>
    public const string FileHint = "~/.config/riverrun/token";

    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    /// <summary>The token to send; null when there is none (a Host without tokens needs none).</summary>
    /// <exception cref="CliException">The token file is readable by group or others, or unreadable (exit 2).</exception>
    public static string? Resolve(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEnvironmentVariable(HostConnection.TokenVariable) is { } variable && variable.Trim().Length > 0)
        {
            return variable.Trim();
        }

        if (context.GetEnvironmentVariable("HOME") is not { Length: > 0 } home)
        {
            return null;
        }

        var path = Path.Join(home, ".config", "riverrun", "token");
        if (!File.Exists(path))
        {
            return null;
        }

        if (OperatingSystem.IsLinux() && (File.GetUnixFileMode(path) & GroupOrOthers) != 0)
        {
            throw CliException.Usage(
                $"{path} may be read by other users (mode {Convert.ToString((int)File.GetUnixFileMode(path), 8)}); the token is refused until only you can read it: chmod 600 {path}");
        }

        try
        {
            var token = File.ReadAllText(path).Trim();
            return token.Length > 0 ? token : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw CliException.Usage($"cannot read the token file {path}: {ex.Message}");
        }
    }
}
