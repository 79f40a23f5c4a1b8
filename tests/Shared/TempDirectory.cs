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
    /// <remarks>
    /// Written by a short-lived sh, not by this process: a process that another test forks while
    /// this one holds the file open for writing inherits that descriptor until it execs, and
    /// running the script in that window fails with ETXTBSY ("Text file busy"). Only the sh ever
    /// holds the file open for writing, and it has exited before anyone runs the script.
    /// </remarks>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public string WriteScript(string name, string body)
    {
        var path = Combine(name);
        var start = new System.Diagnostics.ProcessStartInfo("/bin/sh") { RedirectStandardInput = true };
        foreach (var argument in new[] { "-c", "umask 077 && cat >\"$1\" && chmod 700 \"$1\"", "sh", path })
        {
            start.ArgumentList.Add(argument);
        }

        using var writer = System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("could not start /bin/sh");
        writer.StandardInput.Write("#!/bin/sh\n" + body + "\n");
        writer.StandardInput.Close();
        writer.WaitForExit();
        if (writer.ExitCode != 0)
        {
            throw new InvalidOperationException($"writing {path} failed with exit code {writer.ExitCode}");
        }

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
