namespace RiverRun.Runner.Tests;

public sealed class RunnerOptionsValidatorTests
{
    private static readonly RunnerOptionsValidator Validator = new();

    [Fact]
    public void The_default_options_are_valid()
    {
        var options = new RunnerOptions();

        var result = Validator.Validate(null, options);

        Assert.True(result.Succeeded, result.FailureMessage);
        Assert.Equal(new Uri("http://127.0.0.1:8700"), options.HostUrl);
        Assert.Equal("/var/lib/riverrun-runner", options.StateDirectory);
        Assert.Equal((null, null, null), (options.Name, options.Cores, options.MemoryBytes));
    }

    [Fact]
    public void Every_option_set_to_a_valid_value_passes()
    {
        var options = new RunnerOptions { HostUrl = new Uri("https://head:8700"), Name = "node2-gpu0", Cores = 3.5, MemoryBytes = 1, StateDirectory = "/srv/runner" };

        Assert.True(Validator.Validate(null, options).Succeeded);
    }

    [Fact]
    public void A_CA_file_for_an_https_Host_is_read_when_checked()
    {
        using var directory = new TempDirectory();
        var path = directory.Combine("ca.crt");
        using (var ca = RiverRun.Contracts.Tls.TlsCertificateFactory.CreateAuthority("test CA", DateTimeOffset.UtcNow, TimeSpan.FromDays(1)))
        {
            File.WriteAllText(path, RiverRun.Contracts.Tls.TlsCertificateFactory.CertificatePem(ca));
        }

        Assert.True(Validator.Validate(null, new RunnerOptions { HostUrl = new Uri("https://head:8700"), TrustedCaFile = path }).Succeeded);
        Assert.Equal(
            $"--ca: {path} is given, but the Host address http://head:8700 is cleartext; use https:// for a Host that serves TLS, or drop the CA for one that does not",
            SingleFailure(new RunnerOptions { HostUrl = new Uri("http://head:8700"), TrustedCaFile = path }));
    }

    [Fact]
    public void A_missing_CA_file_is_refused_naming_it()
    {
        var failure = SingleFailure(new RunnerOptions { HostUrl = new Uri("https://head:8700"), TrustedCaFile = "/nonexistent/ca.crt" });

        Assert.StartsWith("--ca: cannot read the CA certificate /nonexistent/ca.crt (", failure, StringComparison.Ordinal);
        Assert.EndsWith("); give the ca.crt that `riverrun init tls` wrote for this Host", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ftp://head:21", "--host: 'ftp://head:21' must be an absolute http:// or https:// address, e.g. http://head:8700")]
    [InlineData("unix:/run/riverrun.sock", "--host: 'unix:/run/riverrun.sock' must be an absolute http:// or https:// address")]
    public void A_host_address_that_is_not_http_is_refused_naming_host(string host, string expected)
    {
        var failure = SingleFailure(new RunnerOptions { HostUrl = new Uri(host) });

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_relative_host_address_is_refused_naming_host()
    {
        var failure = SingleFailure(new RunnerOptions { HostUrl = new Uri("/relative", UriKind.Relative) });

        Assert.StartsWith("--host: '/relative' must be an absolute", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("bad name", "--name: node name 'bad name' contains a space")]
    [InlineData("", "--name: node name is empty")]
    [InlineData("-node", "--name: node name '-node' starts with '-'")]
    public void An_invalid_name_is_refused_naming_name(string name, string expected)
    {
        var failure = SingleFailure(new RunnerOptions { Name = name });

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.0, "--cores: cores '0' must be greater than 0")]
    [InlineData(-1.0, "--cores: cores '-1' must be greater than 0")]
    [InlineData(0.001, "--cores: cores '0.001'")]
    [InlineData(double.NaN, "--cores: cores 'NaN' is not a number")]
    public void Cores_out_of_range_or_too_precise_are_refused_naming_cores(double cores, string expected)
    {
        var failure = SingleFailure(new RunnerOptions { Cores = cores });

        Assert.StartsWith(expected, failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    public void Memory_below_one_byte_is_refused_naming_memory(long memory)
    {
        var failure = SingleFailure(new RunnerOptions { MemoryBytes = memory });

        Assert.Equal($"--memory: must be at least one byte, not {memory}", failure);
    }

    [Theory]
    [InlineData("state")]
    [InlineData("./state")]
    [InlineData("")]
    [InlineData("  ")]
    public void A_state_directory_that_is_not_absolute_is_refused_naming_state_dir(string directory)
    {
        var failure = SingleFailure(new RunnerOptions { StateDirectory = directory });

        Assert.Equal($"--state-dir: '{directory}' must be an absolute path, e.g. /var/lib/riverrun-runner", failure);
    }

    [Fact]
    public void Every_problem_is_reported_not_just_the_first()
    {
        var options = new RunnerOptions { HostUrl = new Uri("ftp://head"), Name = "bad name", Cores = -1, MemoryBytes = 0, StateDirectory = "state" };

        var failures = Validator.Validate(null, options).Failures;

        Assert.Equal(["--host:", "--name:", "--cores:", "--memory:", "--state-dir:"], failures!.Select(f => f.Split(' ')[0]));
    }

    [Fact]
    public void Validation_does_not_touch_the_file_system()
    {
        using var temp = new TempDirectory();
        var directory = temp.Combine("not", "yet");

        Assert.True(Validator.Validate(null, new RunnerOptions { StateDirectory = directory }).Succeeded);
        Assert.False(Directory.Exists(temp.Combine("not")));
    }

    private static string SingleFailure(RunnerOptions options)
    {
        var result = Validator.Validate(null, options);
        Assert.True(result.Failed);
        return Assert.Single(result.Failures!);
    }
}
