using RiverRun.Systemd.Processes;

namespace RiverRun.Systemd.Tests;

/// <summary>
/// execv's failures come back as a reason (a success replaces the test process, so it is
/// exercised end to end: the NativeAOT riverrun hands `host` to riverrun-server with it).
/// </summary>
public sealed class ProcessImageTests
{
    [Fact]
    public void A_program_that_does_not_exist_is_not_run_and_the_reason_says_so()
    {
        var missing = Path.Join(Path.GetTempPath(), "riverrun-no-such-program-" + Guid.NewGuid().ToString("N"));

        var reason = ProcessImage.Replace(missing, [missing]);

        Assert.Equal("No such file or directory (errno 2)", reason);
    }

    [Fact]
    public void A_file_that_is_not_executable_is_not_run_and_the_reason_says_so()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);

            var reason = ProcessImage.Replace(file, [file, "--help"]);

            Assert.Equal("Permission denied (errno 13)", reason);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void An_empty_argv_is_refused_before_any_exec()
    {
        Assert.Throws<ArgumentException>(() => ProcessImage.Replace("/bin/true", []));
    }
}
