using System.Security.Cryptography.X509Certificates;
using RiverRun.Cli.Tests.Infrastructure;

namespace RiverRun.Cli.Tests.Tls;

/// <summary>`riverrun init tls`: real files in a temporary directory, read back as certificates.</summary>
public sealed class InitTlsCommandTests : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Public = Private | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task It_writes_a_CA_and_a_Host_certificate_for_the_names_and_addresses_given_with_private_keys_0600()
    {
        var output = _directory.Combine("tls");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "tls", "--out", output, "--name", "head", "--name", "head.lab.example", "--ip", "10.0.0.1");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal(Public, File.GetUnixFileMode(Path.Join(output, "ca.crt")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Join(output, "ca.key")));
        Assert.Equal(Public, File.GetUnixFileMode(Path.Join(output, "host.crt")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Join(output, "host.key")));
        using var host = X509Certificate2.CreateFromPemFile(Path.Join(output, "host.crt"), Path.Join(output, "host.key"));
        using var ca = X509Certificate2.CreateFromPemFile(Path.Join(output, "ca.crt"), Path.Join(output, "ca.key"));
        Assert.Equal(ca.Subject, host.Issuer);
        Assert.Equal("DNS:head, DNS:head.lab.example, DNS:localhost, IP:10.0.0.1, IP:127.0.0.1, IP:::1", Contracts.Tls.HostCertificatePolicy.DescribeNames(host));
        Assert.Empty(Directory.GetFiles(output, ".*"));
    }

    [Fact]
    public async Task It_prints_what_it_wrote_and_the_lines_for_the_Host_the_Runners_and_the_clients()
    {
        var output = _directory.Combine("tls");
        var cli = new CliRun();

        await cli.RunAsync("init", "tls", "--out", output, "--name", "head");

        Assert.Contains($"Wrote {output}:", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("for DNS:head, DNS:localhost, IP:127.0.0.1, IP:::1", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tls_cert = \"{output}/host.crt\"", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains($"tls_key = \"{output}/host.key\"", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("host = \"https://head:8700\"", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains($"ca = \"{output}/ca.crt\"", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains($"riverrun --host https://head:8700 --ca {output}/ca.crt nodes", cli.Stdout, StringComparison.Ordinal);
        Assert.Contains("LoadCredential=", cli.Stdout, StringComparison.Ordinal);
        Assert.Empty(cli.Stderr);
    }

    [Fact]
    public async Task It_refuses_to_overwrite_existing_files_and_changes_nothing()
    {
        var output = _directory.Combine("tls");
        Directory.CreateDirectory(output);
        await File.WriteAllTextAsync(Path.Join(output, "ca.key"), "precious");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "tls", "--out", output, "--name", "head");

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Equal($"riverrun: {output}/ca.key already exists; nothing was written. Give another --out, or --force to replace all four (clients and Runners then need the new ca.crt)\n", cli.Stderr);
        Assert.Equal("precious", await File.ReadAllTextAsync(Path.Join(output, "ca.key")));
        Assert.Equal(["ca.key"], Directory.GetFiles(output).Select(Path.GetFileName));
    }

    [Fact]
    public async Task With_force_it_replaces_all_four_with_a_new_CA()
    {
        var output = _directory.Combine("tls");
        await new CliRun().RunAsync("init", "tls", "--out", output, "--name", "head");
        var before = await File.ReadAllTextAsync(Path.Join(output, "ca.crt"));

        var exitCode = await new CliRun().RunAsync("init", "tls", "--out", output, "--name", "head", "--force");

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.NotEqual(before, await File.ReadAllTextAsync(Path.Join(output, "ca.crt")));
        Assert.Equal(Private, File.GetUnixFileMode(Path.Join(output, "host.key")));
    }

    [Theory]
    [InlineData("--name", "bad_name", "--name: 'bad_name' is not a host name")]
    [InlineData("--ip", "10.1", "--ip: '10.1' is not an IP address")]
    [InlineData("--ip", "head", "--ip: 'head' is not an IP address")]
    public async Task Bad_names_and_addresses_are_refused_before_anything_is_written(string option, string value, string expected)
    {
        var output = _directory.Combine("tls");
        var cli = new CliRun();

        var exitCode = await cli.RunAsync("init", "tls", "--out", output, option, value);

        Assert.Equal(ExitCodes.Usage, exitCode);
        Assert.Contains(expected, cli.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));
    }
}
