namespace RiverRun.Host.Tests;

public sealed class HostOptionsTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_defaults_are_the_documented_ones()
    {
        var options = new HostOptions();

        Assert.Equal("127.0.0.1:8700", options.Listen);
        Assert.Equal("/var/lib/riverrun", options.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), options.NodeLostAfter);
    }

    [Fact]
    public void Valid_options_pass_and_the_data_directory_is_created()
    {
        var directory = Path.Combine(_directory.Path, "nested", "data");
        var options = new HostOptions { Listen = "[::1]:8700", DataDirectory = directory };

        options.Validate();

        Assert.True(Directory.Exists(directory));
    }

    [Fact]
    public void Every_bad_option_is_reported_by_name()
    {
        var blocker = Path.Combine(_directory.Path, "a-file");
        File.WriteAllText(blocker, "not a directory");
        var options = new HostOptions { Listen = "nowhere", DataDirectory = Path.Combine(blocker, "data"), HeartbeatInterval = TimeSpan.Zero, NodeLostAfter = TimeSpan.FromSeconds(1) };

        var error = Assert.Throws<HostConfigurationException>(options.Validate);

        Assert.Contains("Listen: listen address 'nowhere'", error.Message, StringComparison.Ordinal);
        Assert.Contains("DataDirectory: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be created", error.Message, StringComparison.Ordinal);
        Assert.Contains("HeartbeatInterval: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("NodeLostAfter: 1s is out of range; use 5s to 7d", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_lost_timeout_beyond_a_week_is_refused_by_name()
    {
        var options = new HostOptions { DataDirectory = _directory.Path, NodeLostAfter = TimeSpan.FromDays(8) };

        var error = Assert.Throws<HostConfigurationException>(options.Validate);

        Assert.Equal("NodeLostAfter: 8d is out of range; use 5s to 7d", error.Message);
    }
}
