using RiverRun.Core;

namespace RiverRun.Cli.Tests;

public class DurationParserTests
{
    public static TheoryData<string, TimeSpan> Valid => new()
    {
        { "30s", TimeSpan.FromSeconds(30) },
        { "5m", TimeSpan.FromMinutes(5) },
        { "2h", TimeSpan.FromHours(2) },
        { "1h30m", TimeSpan.FromMinutes(90) },
        { "1d12h", TimeSpan.FromHours(36) },
        { "1h0m5s", TimeSpan.FromSeconds(3605) },
        { "500ms", TimeSpan.FromMilliseconds(500) },
        { "2m30s250ms", new TimeSpan(0, 0, 2, 30, 250) },
        { " 10S ", TimeSpan.FromSeconds(10) },
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void A_duration_with_units_parses_to_its_length(string text, TimeSpan expected)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out var error), error);
        Assert.Equal(expected, duration);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("10", "without a unit")]
    [InlineData("5x", "unknown unit 'x'")]
    [InlineData("-5s", "negative")]
    [InlineData("1.5h", "has a fraction; use whole numbers of smaller units")]
    [InlineData("30m1h", "largest unit first")]
    [InlineData("5m5m", "largest unit first")]
    [InlineData("0s", "zero")]
    [InlineData("99999999999999d", "too long")]
    public void A_malformed_duration_is_rejected_with_the_reason(string text, string reason)
    {
        Assert.False(DurationParser.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Zero_is_accepted_where_it_means_something()
    {
        Assert.True(DurationParser.TryParse("0s", out var duration, out _, allowZero: true));
        Assert.Equal(TimeSpan.Zero, duration);
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("45s")]
    [InlineData("1d2h3m4s5ms")]
    public void Formatting_reads_back_to_the_same_duration(string text)
    {
        Assert.True(DurationParser.TryParse(text, out var duration, out _));

        Assert.Equal(text, DurationParser.Format(duration));
    }
}
