namespace RiverRun.Cli.Tls;

/// <summary>
/// The four files of <c>riverrun init tls</c> in one directory, and how they are written: the
/// certificates world-readable (0644: they are public), the keys 0600 from the moment they exist
/// (created with that mode, never widened), each through a temporary file renamed into place so a
/// crash leaves no half-written key. Nothing is written when any of them exists, unless replacing
/// was asked for.
/// </summary>
public sealed class TlsFileSet
{
    public const string CaCertificate = "ca.crt";
    public const string CaKey = "ca.key";
    public const string HostCertificate = "host.crt";
    public const string HostKey = "host.key";

    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    public TlsFileSet(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = Path.GetFullPath(directory);
    }

    /// <summary>The directory, as an absolute path.</summary>
    public string Directory { get; }

    /// <summary>A file of the set by name (ca.crt, ...), as an absolute path.</summary>
    public string PathOf(string name) => Path.Join(Directory, name);

    /// <summary>Those of the four files that exist already.</summary>
    public IReadOnlyList<string> Existing() =>
        new[] { CaCertificate, CaKey, HostCertificate, HostKey }.Select(PathOf).Where(File.Exists).ToList();

    /// <summary>Writes the four files (text in PEM), creating the directory (0755) when missing.</summary>
    public async Task WriteAsync(string caCertificate, string caKey, string hostCertificate, string hostKey, CancellationToken cancellationToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        // Keys first: a crash in between leaves keys without certificates, never a certificate
        // whose key is missing (which the Host would refuse less clearly).
        await WriteOneAsync(CaKey, caKey, Private, cancellationToken).ConfigureAwait(false);
        await WriteOneAsync(HostKey, hostKey, Private, cancellationToken).ConfigureAwait(false);
        await WriteOneAsync(CaCertificate, caCertificate, Public, cancellationToken).ConfigureAwait(false);
        await WriteOneAsync(HostCertificate, hostCertificate, Public, cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteOneAsync(string name, string text, UnixFileMode mode, CancellationToken cancellationToken)
    {
        var path = PathOf(name);
        var temporary = Path.Join(Directory, $".{name}.{Environment.ProcessId}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = mode };
        await using (var stream = new FileStream(temporary, options))
        await using (var writer = new StreamWriter(stream))
        {
            await writer.WriteAsync(text.AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        // The umask may have narrowed the certificates' mode; set exactly what is meant.
        File.SetUnixFileMode(temporary, mode);
        File.Move(temporary, path, overwrite: true);
    }
}
