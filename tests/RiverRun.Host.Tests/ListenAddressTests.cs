using System.Net;

namespace RiverRun.Host.Tests;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8700", "127.0.0.1", 8700)]
    [InlineData("0.0.0.0:8700", "0.0.0.0", 8700)]
    [InlineData("[::1]:9000", "::1", 9000)]
    [InlineData("[::]:8700", "::", 8700)]
    [InlineData("localhost:0", "127.0.0.1", 0)]
    public void Accepted_forms_give_the_endpoint_they_name(string text, string address, int port)
    {
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), ListenAddress.Parse(text));
    }

    [Theory]
    [InlineData("", "is not host:port")]
    [InlineData("8700", "is not host:port")]
    [InlineData("127.0.0.1:", "is not host:port")]
    [InlineData("127.0.0.1:70000", "a port is a number from 0 to 65535")]
    [InlineData("::1:8700", "without brackets")]
    [InlineData("example.org:8700", "not an IP address or localhost")]
    [InlineData("127.1:8700", "not an IP address or localhost")]
    public void Bad_addresses_are_refused_with_a_reason(string text, string reason)
    {
        Assert.False(ListenAddress.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }
}
