using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

public sealed class RunnerFileModesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void The_plan_lets_tasks_users_pass_through_to_spools_and_keeps_the_runners_records_private()
    {
        var plan = RunnerFileModes.StateDirectories("/var/lib/riverrun-runner/node1", legacySpoolsInTasks: false);

        Assert.Equal(
            [
                ("/var/lib/riverrun-runner/node1", Convert.ToInt32("711", 8)),
                ("/var/lib/riverrun-runner/node1/tasks", Convert.ToInt32("700", 8)),
                ("/var/lib/riverrun-runner/node1/spool", Convert.ToInt32("711", 8)),
            ],
            plan.Select(entry => (entry.Path, (int)entry.Mode)));
        Assert.Equal("600", Convert.ToString((int)RunnerFileModes.PrivateFile, 8));
        Assert.Equal("700", Convert.ToString((int)RunnerFileModes.PrivateDirectory, 8));
    }

    [Fact]
    public void Tasks_stays_passable_while_an_older_runners_task_still_has_its_spool_inside()
    {
        var plan = RunnerFileModes.StateDirectories("/s/node1", legacySpoolsInTasks: true);

        Assert.Equal(Convert.ToInt32("711", 8), (int)plan.Single(entry => entry.Path == "/s/node1/tasks").Mode);
    }

    [Fact]
    public void Claiming_applies_the_plan_on_disk_and_tightens_what_an_older_runner_left_wider()
    {
        var profile = new RunnerProfile
        {
            Name = "node1",
            HostUrl = new Uri("http://127.0.0.1:8700"),
            Cores = 1,
            MemoryBytes = 1 << 30,
            StateDirectory = _temp.Combine("state", "node1"),
        };
        Directory.CreateDirectory(profile.TasksDirectory);
        File.SetUnixFileMode(profile.TasksDirectory, (UnixFileMode)Convert.ToInt32("711", 8));
        File.WriteAllText(Path.Combine(profile.StateDirectory, "runner.lock"), string.Empty);
        File.SetUnixFileMode(Path.Combine(profile.StateDirectory, "runner.lock"), (UnixFileMode)Convert.ToInt32("644", 8));

        using (RunnerStateDirectory.Claim(profile))
        {
            Assert.Equal(Convert.ToInt32("711", 8), (int)File.GetUnixFileMode(profile.StateDirectory));
            Assert.Equal(Convert.ToInt32("700", 8), (int)File.GetUnixFileMode(profile.TasksDirectory));
            Assert.Equal(Convert.ToInt32("711", 8), (int)File.GetUnixFileMode(profile.SpoolsDirectory));
            Assert.Equal(Convert.ToInt32("600", 8), (int)File.GetUnixFileMode(Path.Combine(profile.StateDirectory, "runner.lock")));
        }
    }
}
