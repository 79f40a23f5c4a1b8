using RiverRun.Cli.Tls;

namespace RiverRun.Cli.Tests.Tls;

public sealed class SystemTrustStoreRedirectTests
{
    [Fact]
    public void The_CA_file_becomes_the_store_file_and_no_store_directory_is_left()
    {
        var variables = SystemTrustStoreRedirect.VariablesFor("/etc/riverrun/tls/ca.crt");

        Assert.Equal([("SSL_CERT_FILE", "/etc/riverrun/tls/ca.crt"), ("SSL_CERT_DIR", "")], variables);
    }

    [Fact]
    public void A_relative_CA_path_is_made_absolute_because_the_store_is_read_later()
    {
        var variables = SystemTrustStoreRedirect.VariablesFor("tls/ca.crt");

        Assert.Equal(Path.Join(Environment.CurrentDirectory, "tls", "ca.crt"), variables[0].Value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_blank_CA_path_is_refused(string caFile)
    {
        Assert.Throws<ArgumentException>(() => SystemTrustStoreRedirect.VariablesFor(caFile));
    }
}
