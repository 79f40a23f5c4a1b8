using System.Globalization;
using Microsoft.Extensions.Options;

namespace RiverRun.Host;

/// <summary>
/// The Host's data directory (<c>--data-dir</c>) as a full path, created and found writable when
/// first resolved: at start, before the store opens riverrun.db in it.
/// </summary>
internal sealed class HostDataDirectory
{
    /// <exception cref="InvalidOperationException">The directory cannot be created or written; the Host cannot start.</exception>
    public HostDataDirectory(IOptions<HostOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Path = Prepare(options.Value.DataDirectory);
    }

    public string Path { get; }

    // Creating it and writing a probe file is the only reliable test (permissions, read-only
    // mounts, full disks), and it names the problem more clearly than SQLite's "unable to open".
    private static string Prepare(string directory)
    {
        try
        {
            var path = System.IO.Path.GetFullPath(directory);
            PrivateFiles.CreateDirectory(path);
            var probe = System.IO.Path.Combine(path, $".riverrun-write-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return path;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"the data directory cannot be created or written: {ex.Message}", ex);
        }
    }
}
