namespace RiverRun.Core.Tests;

public class ByteSizeTests
{
    private const long K = 1024;
    private const long M = K * 1024;
    private const long G = M * 1024;
    private const long T = G * 1024;

    [Theory]
    [InlineData("512", 512)]
    [InlineData("512B", 512)]
    [InlineData("100K", 100 * K)]
    [InlineData("50M", 50 * M)]
    [InlineData("4G", 4 * G)]
    [InlineData("1.5G", 3 * G / 2)]
    [InlineData("2T", 2 * T)]
    [InlineData("0.5K", 512)]
    public void Sizes_with_a_unit_are_powers_of_1024(string text, long expected)
    {
        Assert.Equal(expected, ByteSize.Parse(text).Bytes);
    }

    [Theory]
    [InlineData("4G")]
    [InlineData("4g")]
    [InlineData("4GB")]
    [InlineData("4gb")]
    [InlineData("4GiB")]
    [InlineData("4gib")]
    [InlineData("4GIB")]
    [InlineData(" 4G ")]
    public void Every_spelling_of_gigabytes_means_the_same_binary_size(string text)
    {
        Assert.Equal(4 * G, ByteSize.Parse(text).Bytes);
    }

    [Fact]
    public void A_fraction_with_a_unit_rounds_down_to_whole_bytes()
    {
        Assert.Equal(1331, ByteSize.Parse("1.3K").Bytes);
    }

    [Theory]
    [InlineData("12Q", "'Q'")]
    [InlineData("12KQ", "'KQ'")]
    [InlineData("4Gb2", "'Gb2'")]
    [InlineData("4Gi", "'Gi'")]
    [InlineData("1P", "'P'")]
    public void Size_with_unknown_unit_is_rejected_naming_the_unit_and_the_known_ones(string text, string unit)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));

        Assert.Contains($"unknown unit {unit}", error, StringComparison.Ordinal);
        Assert.Contains("K, M, G or T", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData(null, "empty")]
    [InlineData("-1G", "negative")]
    [InlineData("-5", "negative")]
    [InlineData("abc", "is not a number")]
    [InlineData("G", "is not a number")]
    [InlineData("1.G", "is not a number")]
    [InlineData(".5G", "is not a number")]
    [InlineData("1.2.3G", "is not a number")]
    [InlineData("1,5G", "unknown unit")]
    [InlineData("4 G", "contains a space")]
    [InlineData("1.5", "fraction of a byte")]
    public void Malformed_sizes_are_rejected_saying_what_is_wrong(string? text, string expected)
    {
        Assert.False(ByteSize.TryParse(text, out var size, out var error));

        Assert.Equal(ByteSize.Zero, size);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("0G")]
    [InlineData("0.0001K")]
    public void Zero_is_rejected_unless_allowed(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Contains("zero", error, StringComparison.Ordinal);

        Assert.True(ByteSize.TryParse(text, out var size, out _, allowZero: true));
        Assert.Equal(0, size.Bytes);
    }

    [Theory]
    [InlineData("9223372036854775808")]
    [InlineData("8388608T")]
    [InlineData("99999999999999999999999999999999999G")]
    public void Sizes_beyond_the_largest_long_are_rejected_as_too_large(string text)
    {
        Assert.False(ByteSize.TryParse(text, out _, out var error));
        Assert.Contains("too large", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_largest_long_is_still_a_size()
    {
        Assert.Equal(long.MaxValue, ByteSize.Parse("9223372036854775807").Bytes);
    }

    [Fact]
    public void Parse_throws_a_format_exception_carrying_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => ByteSize.Parse("12Q"));
        Assert.Contains("'Q'", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(4 * G, "4G")]
    [InlineData(3 * G / 2, "1.5G")]
    [InlineData(512 * M, "512M")]
    [InlineData(100 * K, "100K")]
    [InlineData(2 * T, "2T")]
    [InlineData(512, "512")]
    [InlineData(0, "0")]
    [InlineData(17716740096, "16.5G")]
    [InlineData(G - 1, "1G")]
    public void Sizes_format_in_a_short_human_form(long bytes, string expected)
    {
        Assert.Equal(expected, new ByteSize(bytes).ToString());
    }

    [Theory]
    [InlineData(4 * G, "4G")]
    [InlineData(3 * G / 2, "1.5G")]
    [InlineData(G + K, "1048577K")]
    [InlineData(1000, "1000")]
    [InlineData(G - 1, "1073741823")]
    [InlineData(1280, "1.25K")]
    public void The_exact_form_parses_back_to_the_same_bytes(long bytes, string expected)
    {
        var exact = new ByteSize(bytes).ToExactString();

        Assert.Equal(expected, exact);
        Assert.Equal(bytes, ByteSize.Parse(exact).Bytes);
    }

    [Theory]
    [InlineData("4G")]
    [InlineData("1.5G")]
    [InlineData("512M")]
    [InlineData("100K")]
    [InlineData("2T")]
    [InlineData("512")]
    public void Simple_sizes_round_trip_through_their_short_form(string text)
    {
        Assert.Equal(text, ByteSize.Parse(text).ToString());
    }

    [Fact]
    public void A_negative_byte_count_cannot_be_a_size()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new ByteSize(-1));
    }

    [Fact]
    public void Sizes_compare_by_bytes()
    {
        Assert.True(ByteSize.Parse("1G") > ByteSize.Parse("1023M"));
        Assert.True(ByteSize.Parse("1024M") >= ByteSize.Parse("1G"));
        Assert.Equal(ByteSize.Parse("1024M"), ByteSize.Parse("1G"));
    }
}
