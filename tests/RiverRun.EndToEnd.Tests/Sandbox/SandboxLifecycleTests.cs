using System.Security.Cryptography;
using System.Text;
using RiverRun.EndToEnd.Tests.Infrastructure;

namespace RiverRun.EndToEnd.Tests.Sandbox;

/// <summary>up / status / down on a sandbox of its own, so it can tear it down freely.</summary>
public sealed class SandboxLifecycleTests : IAsyncLifetime
{
    private readonly Infrastructure.Sandbox _sandbox = new(TestSandboxes.Directory($"lifecycle-{Environment.ProcessId}"));

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    /// <summary>Whatever a test left running (it failed half-way) goes.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Directory.Exists(_sandbox.StateDirectory))
        {
            await _sandbox.DownAsync();
        }
    }

    [Fact]
    public async Task Down_leaves_no_nspawn_process_no_mount_no_cgroup_and_no_directory()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        var up = await _sandbox.UpAsync("lc1");
        Assert.True(up.ExitCode == 0, up.ToString());
        var again = await _sandbox.UpAsync("lc1");
        Assert.True(again.ExitCode == 0, $"up on a running sandbox must be a no-op: {again}");
        var status = await _sandbox.StatusAsync();
        Assert.Matches(@"lc1\s+\d+\s+running", status.StandardOutput);
        Assert.NotEmpty(LiveNspawnProcessesOf(_sandbox.StateDirectory));

        var down = await _sandbox.DownAsync();

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(LiveNspawnProcessesOf(_sandbox.StateDirectory));
        Assert.DoesNotContain(_sandbox.StateDirectory, await File.ReadAllTextAsync("/proc/self/mountinfo"));
        Assert.False(Directory.Exists(_sandbox.StateDirectory));
        Assert.Empty(Directory.EnumerateDirectories("/sys/fs/cgroup", CgroupSubtreeOf(_sandbox.StateDirectory),
            SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Down_after_a_crash_still_removes_everything()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        var up = await _sandbox.UpAsync("lc2");
        Assert.True(up.ExitCode == 0, up.ToString());
        // A crash: the pid files are lost, the containers still run.
        foreach (var pidFile in Directory.EnumerateFiles(Path.Combine(_sandbox.StateDirectory, "nodes"), "*.pid"))
        {
            File.Delete(pidFile);
        }

        var down = await _sandbox.DownAsync();

        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.Empty(LiveNspawnProcessesOf(_sandbox.StateDirectory));
        Assert.False(Directory.Exists(_sandbox.StateDirectory));
    }

    [Fact]
    public async Task Exec_in_a_node_that_is_not_running_fails_with_a_clear_message()
    {
        SandboxRequirements.SkipUnlessAvailableOrRequired();
        var result = await _sandbox.ExecAsync("nosuchnode", ["true"]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("node 'nosuchnode' is not running", result.StandardError);
    }

    /// <summary>The name the sandbox script gives its cgroup subtree: derived from the state directory.</summary>
    private static string CgroupSubtreeOf(string stateDirectory)
    {
#pragma warning disable CA5351 // a name derived from a path, as `md5sum` makes it in the script; not security
        var hash = MD5.HashData(Encoding.UTF8.GetBytes(stateDirectory));
#pragma warning restore CA5351
        return "riverrun-sandbox-" + Convert.ToHexStringLower(hash)[..8];
    }

    /// <summary>Live (not zombie) systemd-nspawn processes started for a sandbox directory.</summary>
    private static List<int> LiveNspawnProcessesOf(string stateDirectory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var state = stat[(stat.LastIndexOf(')') + 2)..][0];
                if (state != 'Z' && cmdline.Contains("systemd-nspawn", StringComparison.Ordinal)
                    && cmdline.Contains(stateDirectory + "/", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }
}
