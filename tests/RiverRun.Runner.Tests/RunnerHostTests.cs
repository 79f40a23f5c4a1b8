using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Doctor;
using RiverRun.Runner.Inventory;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Tests;

/// <summary>The Runner on the Generic Host: its container, its options and its start, on a fixed machine.</summary>
public sealed class RunnerHostTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeSystemd _systemd;

    public RunnerHostTests()
    {
        _systemd = new FakeSystemd(_temp);
    }

    public void Dispose() => _temp.Dispose();

    private RunnerOptions Options(double? cores = 2) => new()
    {
        HostUrl = new Uri("http://127.0.0.1:1"),
        Name = "node1",
        Cores = cores,
        MemoryBytes = 4L << 30,
        StateDirectory = _temp.Combine("state"),
    };

    [Fact]
    public async Task After_the_start_every_service_of_a_run_resolves_from_a_container_that_validates_scopes_and_registrations()
    {
        using var host = RunnerApplication.Build(Options(), TestRunner.Fakes(_systemd));
        var startup = host.Services.GetRequiredService<RunnerStartup>();

        await startup.StartAsync(CancellationToken.None);
        await using (var scope = host.Services.CreateAsyncScope())
        {
            var services = scope.ServiceProvider;
            var profile = services.GetRequiredService<RunnerProfile>();
            Assert.Equal(("node1", 2.0, _temp.Combine("state", "node1")), (profile.Name, profile.Cores, profile.StateDirectory));
            Assert.Same(TestRunner.Machine, services.GetRequiredService<NodeInventory>());
            Assert.Equal(new LaunchContext("node1", "riverrun-node1.slice", false, TestRunner.Machine.NumaNodes), services.GetRequiredService<LaunchContext>());
            Assert.NotNull(services.GetRequiredService<ScopeMechanism>());
            Assert.Same(services.GetRequiredService<TaskSupervisor>(), services.GetRequiredService<TaskRegistry>().Supervisor);
            Assert.NotNull(services.GetRequiredService<UsageSampler>());
            Assert.NotNull(services.GetRequiredService<HostConnection>());
        }

        await startup.StopAsync(CancellationToken.None);
        Assert.True(Directory.Exists(_temp.Combine("state", "node1", "tasks")));
    }

    [Fact]
    public void The_services_of_a_run_cannot_be_taken_from_the_root_container()
    {
        using var host = RunnerApplication.Build(Options(), TestRunner.Fakes(_systemd));

        // ValidateScopes: a run's services belong to RunnerService's scope.
        Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<TaskRegistry>());
    }

    [Fact]
    public void A_registration_the_container_cannot_satisfy_fails_the_build()
    {
        var ex = Assert.Throws<AggregateException>(() => RunnerApplication.Build(Options(), services =>
        {
            TestRunner.Fakes(_systemd)(services);
            services.RemoveAll<IMachineInspector>();
        }));

        Assert.Contains(nameof(IMachineInspector), ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_profile_asked_for_before_the_start_says_so()
    {
        using var host = RunnerApplication.Build(Options(), TestRunner.Fakes(_systemd));

        var ex = Assert.Throws<InvalidOperationException>(() => host.Services.GetRequiredService<RunnerProfile>());

        Assert.Contains("once RunnerStartup has run", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_container_holds_every_option_the_command_line_gave()
    {
        var given = Options(cores: 1.5);
        given.Instance = "a";
        // A real CA file and an https:// Host: the options are checked when they are read.
        given.TrustedCaFile = _temp.Combine("ca.crt");
        using (var ca = RiverRun.Contracts.Tls.TlsCertificateFactory.CreateAuthority("test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)))
        {
            File.WriteAllText(given.TrustedCaFile, RiverRun.Contracts.Tls.TlsCertificateFactory.CertificatePem(ca));
        }

        given.HostUrl = new Uri("https://127.0.0.1:1");
        given.Origins = new RiverRun.Configuration.SettingOrigins(new Dictionary<string, RiverRun.Configuration.SettingOrigin>());
        using var host = RunnerApplication.Build(given, TestRunner.Fakes(_systemd));

        var bound = host.Services.GetRequiredService<IOptions<RunnerOptions>>().Value;

        Assert.NotSame(given, bound);
        foreach (var property in typeof(RunnerOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.Equal(property.GetValue(given), property.GetValue(bound));
            Assert.NotEqual(property.GetValue(new RunnerOptions()), property.GetValue(given));
        }
    }

    [Fact]
    public async Task Invalid_options_stop_the_start_with_exit_code_2_and_a_message_naming_the_flag()
    {
        var log = new RecordingLoggerProvider();
        var options = Options();
        options.MemoryBytes = 0;

        var exitCode = await RunnerApplication.RunAsync(options, TestRunner.Fakes(_systemd, log: log), CancellationToken.None);

        Assert.Equal(RunnerApplication.InvalidOptionsExitCode, exitCode);
        Assert.Equal("The Runner cannot start: --memory: must be at least one byte, not 0", Assert.Single(log.Messages));
        Assert.False(Directory.Exists(_temp.Combine("state")));
    }

    [Fact]
    public async Task Options_asking_for_more_than_the_machine_has_give_exit_code_2()
    {
        var log = new RecordingLoggerProvider();

        var exitCode = await RunnerApplication.RunAsync(Options(cores: 5), TestRunner.Fakes(_systemd, log: log), CancellationToken.None);

        Assert.Equal(RunnerApplication.InvalidOptionsExitCode, exitCode);
        Assert.Equal("The Runner cannot start: --cores 5 is more than this machine's 4 cores.", Assert.Single(log.Messages));
    }

    [Fact]
    public async Task A_second_Runner_of_the_same_name_cannot_start_and_gets_exit_code_1()
    {
        var log = new RecordingLoggerProvider();
        Directory.CreateDirectory(_temp.Combine("state", "node1"));
        using var held = new FileStream(_temp.Combine("state", "node1", "runner.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var exitCode = await RunnerApplication.RunAsync(Options(), TestRunner.Fakes(_systemd, log: log), CancellationToken.None);

        Assert.Equal(RunnerApplication.CannotStartExitCode, exitCode);
        Assert.StartsWith("The Runner cannot start: Another Runner named 'node1' is already running", Assert.Single(log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_state_directory_that_cannot_be_created_is_reported_at_start_with_exit_code_1()
    {
        var log = new RecordingLoggerProvider();
        var blocker = _temp.Combine("a-file");
        await File.WriteAllTextAsync(blocker, "not a directory");
        var options = Options();
        options.StateDirectory = blocker;

        var exitCode = await RunnerApplication.RunAsync(options, TestRunner.Fakes(_systemd, log: log), CancellationToken.None);

        Assert.Equal(RunnerApplication.CannotStartExitCode, exitCode);
        Assert.StartsWith($"The Runner cannot start: Cannot create the state directory '{blocker}", Assert.Single(log.Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_machine_whose_launches_wait_for_the_kernel_gets_doctors_note_in_the_log_at_start()
    {
        var log = new RecordingLoggerProvider(LogLevel.Information);
        var note = DoctorCheck.Note("launch latency", "favordynmods is off", "mount -o remount,favordynmods /sys/fs/cgroup");

        await RunnerApplication.RunAsync(Options(), services =>
        {
            TestRunner.Fakes(_systemd, log: log)(services);
            services.AddSingleton<IMachineInspector>(new FixedMachine(TestRunner.Machine, note));
            // Ends the run right after the start's messages.
            services.AddScoped<TaskRegistry>(_ => throw new IOException("stop here"));
        }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains("Task launches: favordynmods is off; to change it: mount -o remount,favordynmods /sys/fs/cgroup", log.Messages);
    }

    [Fact]
    public async Task A_machine_with_nothing_to_note_about_launches_logs_no_such_line()
    {
        var log = new RecordingLoggerProvider(LogLevel.Information);

        await RunnerApplication.RunAsync(Options(), services =>
        {
            TestRunner.Fakes(_systemd, log: log)(services);
            services.AddSingleton<IMachineInspector>(new FixedMachine(TestRunner.Machine, DoctorCheck.Pass("launch latency", "favordynmods is on")));
            services.AddScoped<TaskRegistry>(_ => throw new IOException("stop here"));
        }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Contains(log.Messages, message => message.StartsWith("Runner node1 starting", StringComparison.Ordinal));
        Assert.DoesNotContain(log.Messages, message => message.StartsWith("Task launches", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_run_that_fails_after_the_start_is_logged_and_gives_exit_code_1()
    {
        var log = new RecordingLoggerProvider();

        var exitCode = await RunnerApplication.RunAsync(Options(), services =>
        {
            TestRunner.Fakes(_systemd, log: log)(services);
            services.AddScoped<TaskRegistry>(_ => throw new IOException("the tasks directory cannot be read"));
        }, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20));

        Assert.Equal(RunnerApplication.CannotStartExitCode, exitCode);
        Assert.Equal("The Runner failed and stopped: the tasks directory cannot be read; running tasks keep running and are re-adopted at the next start", Assert.Single(log.Messages));
    }
}
