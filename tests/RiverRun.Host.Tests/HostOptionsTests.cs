using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace RiverRun.Host.Tests;

public sealed class HostOptionsTests : IDisposable
{
    private static readonly HostOptionsValidator Validator = new(TimeProvider.System);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void The_defaults_are_the_documented_ones_and_valid()
    {
        var options = new HostOptions();

        Assert.Equal("127.0.0.1:8700", options.Listen);
        Assert.Equal("127.0.0.1:8701", options.HttpListen);
        Assert.Equal("/var/lib/riverrun", options.DataDirectory);
        Assert.Equal(TimeSpan.FromSeconds(5), options.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromMinutes(10), options.NodeLostAfter);
        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void Validation_only_checks_it_does_not_create_the_data_directory()
    {
        var directory = Path.Combine(_directory.Path, "nested", "data");
        var options = new HostOptions { Listen = "[::1]:8700", DataDirectory = directory };

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.False(Directory.Exists(Path.Combine(_directory.Path, "nested")));
    }

    [Theory]
    [InlineData("nowhere", "--listen: listen address 'nowhere' is not host:port")]
    [InlineData("127.0.0.1:99999", "--listen: listen address '127.0.0.1:99999' has port '99999'")]
    [InlineData("", "--listen: listen address '' is not host:port")]
    public void A_bad_listen_address_is_refused_naming_listen(string listen, string expected)
    {
        var failure = SingleFailure(new HostOptions { Listen = listen });

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nowhere", "--http-listen: listen address 'nowhere' is not host:port with an IPv4 address, [IPv6] address or localhost, e.g. 127.0.0.1:8700, [::1]:8700 or 0.0.0.0:8700, or 'none' to serve no /healthz and /metrics")]
    [InlineData("127.0.0.1:70000", "--http-listen: listen address '127.0.0.1:70000' has port '70000'; a port is a number from 0 to 65535, or 'none' to serve no /healthz and /metrics")]
    [InlineData("0.0.0.0:8700", "--http-listen: 0.0.0.0:8700 uses port 8700, which --listen (127.0.0.1:8700) already uses; give it another port (the default is 127.0.0.1:8701) or 'none'")]
    public void A_bad_http_address_is_refused_naming_http_listen(string httpListen, string expected)
    {
        var failure = SingleFailure(new HostOptions { HttpListen = httpListen });

        Assert.Equal(expected, failure);
    }

    [Theory]
    [InlineData("none")]
    [InlineData(" NONE ")]
    [InlineData("[::]:9100")]
    [InlineData("127.0.0.1:0")]
    public void The_http_address_may_be_none_or_any_listen_address_on_another_port(string httpListen)
    {
        var result = Validator.Validate(null, new HostOptions { HttpListen = httpListen });

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_missing_data_directory_is_refused_naming_data_dir(string directory)
    {
        var failure = SingleFailure(new HostOptions { DataDirectory = directory });

        Assert.Equal("--data-dir: no directory given; give one for riverrun.db and task output, e.g. /var/lib/riverrun", failure);
    }

    [Theory]
    [InlineData(1, "--node-lost-after: 1s is out of range; use 5s to 7d")]
    [InlineData(8 * 24 * 3600, "--node-lost-after: 8d is out of range; use 5s to 7d")]
    public void A_node_lost_timeout_out_of_range_is_refused_naming_node_lost_after(int seconds, string expected)
    {
        var failure = SingleFailure(new HostOptions { NodeLostAfter = TimeSpan.FromSeconds(seconds) });

        Assert.Equal(expected, failure);
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7 * 24 * 3600)]
    public void The_node_lost_timeout_may_be_anything_from_5s_to_7d(int seconds)
    {
        Assert.True(Validator.Validate(null, new HostOptions { NodeLostAfter = TimeSpan.FromSeconds(seconds) }).Succeeded);
    }

    [Theory]
    [InlineData(0, "HeartbeatInterval: 0 s is out of range; use 0.1 s to 1 h")]
    [InlineData(7200, "HeartbeatInterval: 7200 s is out of range; use 0.1 s to 1 h")]
    public void A_heartbeat_interval_out_of_range_is_refused_by_name_as_it_has_no_flag(int seconds, string expected)
    {
        var failure = SingleFailure(new HostOptions { HeartbeatInterval = TimeSpan.FromSeconds(seconds) });

        Assert.Equal(expected, failure);
    }

    [Fact]
    public void Every_bad_option_is_reported_not_just_the_first()
    {
        var options = new HostOptions { Listen = "nowhere", DataDirectory = "", HeartbeatInterval = TimeSpan.Zero, NodeLostAfter = TimeSpan.FromSeconds(1) };

        var failures = Validator.Validate(null, options).Failures;

        Assert.Equal(["--listen:", "--data-dir:", "--node-lost-after:", "HeartbeatInterval:"], failures!.Select(f => f.Split(' ')[0]));
    }

    [Fact]
    public void The_container_holds_every_option_given_and_checks_them_at_start()
    {
        var (certificate, key) = Tls.TestTls.Write(_directory.Combine("tls"), DateTimeOffset.UtcNow, TimeSpan.FromDays(1));
        var given = new HostOptions
        {
            TlsCertificate = certificate,
            TlsKey = key,
            Insecure = true,
            Listen = "127.0.0.1:0",
            HttpListen = "127.0.0.1:0",
            DataDirectory = _directory.Path,
            HeartbeatInterval = TimeSpan.FromSeconds(2),
            NodeLostAfter = TimeSpan.FromMinutes(3),
            KeepFinishedFor = TimeSpan.FromDays(7),
            KeepOutputBytes = 1L << 32,
            Origins = new RiverRun.Configuration.SettingOrigins(new Dictionary<string, RiverRun.Configuration.SettingOrigin>()),
        };
        using var services = new ServiceCollection().AddRiverRunHost(given).BuildServiceProvider();

        var bound = services.GetRequiredService<IOptions<HostOptions>>().Value;

        Assert.NotSame(given, bound);
        foreach (var property in typeof(HostOptions).GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            Assert.Equal(property.GetValue(given), property.GetValue(bound));
            Assert.NotEqual(property.GetValue(new HostOptions()), property.GetValue(given));
        }
    }

    private static string SingleFailure(HostOptions options)
    {
        var result = Validator.Validate(null, options);
        Assert.True(result.Failed);
        return Assert.Single(result.Failures!);
    }
}
