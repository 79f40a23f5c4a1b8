using RiverRun.Contracts.Rpc;

namespace RiverRun.Contracts.Tests;

public class ProtocolHelpersTests
{
    [Theory]
    [InlineData(250, "250m")]
    [InlineData(0.2, "1m")]
    [InlineData(99_999_999, "99999999m")]
    [InlineData(100_000_000, "100000S")]
    public void A_timeout_is_formatted_in_at_most_eight_digits_rounded_up(double milliseconds, string expected) =>
        Assert.Equal(expected, GrpcTimeout.Format(TimeSpan.FromMilliseconds(milliseconds)));

    [Theory]
    [InlineData("1H", 3_600_000)]
    [InlineData("2M", 120_000)]
    [InlineData("3S", 3_000)]
    [InlineData("250m", 250)]
    [InlineData("5000u", 5)]
    [InlineData("7000000n", 7)]
    public void A_timeout_header_in_any_unit_is_parsed(string header, double expectedMilliseconds)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), timeout);
    }

    [Theory]
    [InlineData("")]
    [InlineData("m")]
    [InlineData("10")]
    [InlineData("10x")]
    [InlineData("-5S")]
    [InlineData("123456789S")]
    public void A_malformed_timeout_header_is_rejected(string header) =>
        Assert.False(GrpcTimeout.TryParse(header, out _));

    [Theory]
    [InlineData("plain ascii", "plain ascii")]
    [InlineData("100% done", "100%25 done")]
    [InlineData("ä", "%C3%A4")]
    [InlineData("line\nbreak", "line%0Abreak")]
    public void A_status_message_is_percent_encoded_as_the_spec_says(string message, string encoded) =>
        Assert.Equal(encoded, StatusMessageEncoding.Encode(message));

    [Theory]
    [InlineData("Knoten „α“ nicht gefunden — 100% 🚀")]
    [InlineData("ordinary")]
    [InlineData("")]
    public void A_status_message_survives_encoding_and_decoding(string message) =>
        Assert.Equal(message, StatusMessageEncoding.Decode(StatusMessageEncoding.Encode(message)));

    [Fact]
    public void A_percent_sign_not_followed_by_two_hex_digits_is_kept_as_it_is() =>
        Assert.Equal("50%z and 7%", StatusMessageEncoding.Decode("50%z and 7%"));

    [Theory]
    [InlineData("application/grpc", true)]
    [InlineData("application/grpc+proto", true)]
    [InlineData("application/grpc; charset=utf-8", true)]
    [InlineData("application/grpc+json", false)]
    [InlineData("application/json", false)]
    [InlineData(null, false)]
    public void Only_protobuf_grpc_content_types_are_accepted(string? contentType, bool accepted) =>
        Assert.Equal(accepted, GrpcProtocol.IsGrpcContentType(contentType));
}
