using System.Net;
using RiverRun.Contracts.Tls;

namespace RiverRun.Cli.Tests.Tls;

public sealed class TlsNamesTests
{
    [Theory]
    [InlineData("head")]
    [InlineData("head.lab.example")]
    [InlineData("node-1")]
    [InlineData("localhost")]
    public void Host_names_are_accepted(string name) => Assert.Null(TlsNames.ValidateName(name));

    [Theory]
    [InlineData("", "1 to 253 characters")]
    [InlineData("bad_name", "letters, digits or '-'")]
    [InlineData("-head", "not starting or ending with '-'")]
    [InlineData("head..lab", "each dot-separated part")]
    [InlineData("10.0.0.1", "give it with --ip")]
    [InlineData("*.lab", "letters, digits or '-'")]
    public void Other_names_are_refused_saying_why(string name, string expected) =>
        Assert.Contains(expected, TlsNames.ValidateName(name), StringComparison.Ordinal);

    [Theory]
    [InlineData("10.0.0.5", "10.0.0.5")]
    [InlineData("fd00::5", "fd00::5")]
    [InlineData("[::1]", "::1")]
    public void Addresses_are_parsed(string text, string expected)
    {
        Assert.True(TlsNames.TryParseAddress(text, out var address, out _));
        Assert.Equal(IPAddress.Parse(expected), address);
    }

    [Theory]
    [InlineData("10.1")]
    [InlineData("167772161")]
    [InlineData("head")]
    public void Lenient_or_non_addresses_are_refused(string text)
    {
        Assert.False(TlsNames.TryParseAddress(text, out _, out var error));
        Assert.Contains("is not an IP address", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_names_the_machine_name_and_localhost_are_used() =>
        Assert.Equal(["machine", "localhost"], TlsNames.WithLoopback([], "machine"));

    [Fact]
    public void Given_names_replace_the_machine_name_and_localhost_is_added_once() =>
        Assert.Equal(["head", "localhost", "head.lab"], TlsNames.WithLoopback(["head", "LOCALHOST", "head.lab"], "machine").Select(n => n.ToLowerInvariant()));

    [Fact]
    public void Loopback_addresses_are_always_added_once() =>
        Assert.Equal([IPAddress.Parse("10.0.0.1"), IPAddress.Loopback, IPAddress.IPv6Loopback], TlsNames.WithLoopback([IPAddress.Parse("10.0.0.1"), IPAddress.Loopback]));
}
