using System.Runtime.Versioning;

namespace RiverRun.Systemd.Units;

/// <summary>What an installation did, for the user to read.</summary>
public sealed record InstallResult(IReadOnlyList<string> UnitPaths, string EnvironmentFile, bool EnvironmentFileCreated, string? EnvironmentFileWarning);

/// <summary>
/// Puts generated units in place: the files in /etc/systemd/system, /etc/riverrun and its tokens
/// file (created 0600 when missing, never read or printed), then systemctl daemon-reload and
/// enable. The mechanism beside the pure generators; the root directory is injectable so that
/// tests (and image builders, like `systemctl --root`) install into a directory.
/// </summary>
[UnsupportedOSPlatform("windows")]
public sealed class UnitInstaller
{
    /// <summary>What a new tokens file says; no secret is ever written by the installer.</summary>
    public const string EnvironmentFileTemplate =
        """
        # RiverRun's secrets, read by systemd for the RiverRun services (EnvironmentFile=).
        # Keep this file mode 0600, owned by root: it is the only place tokens belong (never a
        # command line, which every user sees in ps). One VARIABLE=value a line, e.g.:
        #   RIVERRUN_TOKEN=<the token `riverrun init token` printed>
        # then: systemctl restart riverrun-host (or riverrun-runner).

        """;

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private const UnixFileMode Readable = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private readonly string _root;
    private readonly string _systemctl;

    /// <param name="root">The root directory: "/" for the machine itself.</param>
    /// <param name="systemctl">The systemctl executable.</param>
    public UnitInstaller(string root = "/", string systemctl = "systemctl")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentException.ThrowIfNullOrWhiteSpace(systemctl);
        _root = Path.GetFullPath(root);
        _systemctl = systemctl;
    }

    /// <summary>Whether this installs into the running system (so systemd can be asked to reload and start).</summary>
    public bool IsLiveSystem => _root == "/";

    /// <summary>/etc/systemd/system under the root.</summary>
    public string UnitDirectory => Under("/etc/systemd/system");

    /// <summary>/etc/riverrun/riverrun.env under the root.</summary>
    public string EnvironmentFile => Under(ServiceUnitOptions.EnvironmentFilePath);

    /// <summary>Writes the units and the tokens file (when missing). Each unit file is replaced atomically.</summary>
    /// <exception cref="UnauthorizedAccessException">Not allowed to write there (not root).</exception>
    public InstallResult WriteFiles(IReadOnlyList<UnitFile> units)
    {
        ArgumentNullException.ThrowIfNull(units);
        Directory.CreateDirectory(UnitDirectory);
        var paths = units.Select(unit => UnitFileWriter.Write(UnitDirectory, unit)).ToList();

        var configDirectory = Path.GetDirectoryName(EnvironmentFile)!;
        if (!Directory.Exists(configDirectory))
        {
            Directory.CreateDirectory(configDirectory, Readable | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
        }

        var created = false;
        string? warning = null;
        if (!File.Exists(EnvironmentFile))
        {
            // Created with mode 0600 from the first instant (no window where it is world-readable);
            // CreateNew: never clobbers a file made meanwhile.
            using var stream = new FileStream(EnvironmentFile, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = Private,
            });
            using var writer = new StreamWriter(stream);
            writer.Write(EnvironmentFileTemplate.ReplaceLineEndings("\n"));
            created = true;
        }
        else
        {
            var mode = File.GetUnixFileMode(EnvironmentFile);
            if ((mode & ~Private) != 0)
            {
                warning = $"{EnvironmentFile} has mode {Convert.ToString((int)mode, 8)}: other users may read its tokens; run: chmod 600 {EnvironmentFile}";
            }
        }

        return new InstallResult(paths, EnvironmentFile, created, warning);
    }

    /// <summary>
    /// systemctl daemon-reload (live system only), then enable (and start, with
    /// <paramref name="now"/>) <paramref name="unitsToEnable"/>. Outside the live system enable
    /// runs with --root and nothing is started.
    /// </summary>
    /// <exception cref="SystemctlException">systemctl failed; its message is in it.</exception>
    public async Task ActivateAsync(IReadOnlyList<string> unitsToEnable, bool enable, bool now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(unitsToEnable);
        if (now && !IsLiveSystem)
        {
            throw new InvalidOperationException("units installed under another root cannot be started");
        }

        if (IsLiveSystem)
        {
            await RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
        }

        if (!enable && !now)
        {
            return;
        }

        List<string> args = IsLiveSystem ? [] : [$"--root={_root}"];
        args.Add("enable");
        if (now)
        {
            args.Add("--now");
        }

        args.Add("--");
        args.AddRange(unitsToEnable);
        await RunAsync(args, cancellationToken).ConfigureAwait(false);
    }

    private async Task RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await Commands.Wrap(_systemctl).WithArguments(arguments).StartBuffered(cancellationToken).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new SystemctlException($"{_systemctl} {string.Join(' ', arguments)}", result.ExitCode, result.StandardError);
        }
    }

    private string Under(string absolute) => IsLiveSystem ? absolute : Path.Join(_root, absolute.TrimStart('/'));
}
