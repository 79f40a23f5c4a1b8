namespace RiverRun.Tests.Shared;

/// <summary>A fresh directory per test, removed afterwards.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Path = Directory.CreateTempSubdirectory("riverrun-tests-").FullName;
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    /// <summary>Writes an executable sh script (a stand-in for systemctl, systemd-run, getent).</summary>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public string WriteScript(string name, string body)
    {
        var path = Combine(name);
        File.WriteAllText(path, "#!/bin/sh\n" + body + "\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A straggling process may still hold a file; the OS temp cleaner will get it.
        }
    }
}
