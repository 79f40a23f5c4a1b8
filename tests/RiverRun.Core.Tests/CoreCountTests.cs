namespace RiverRun.Core.Tests;

public class CoreCountTests
{
    [Theory]
    [InlineData("0.5", 0.5)]
    [InlineData("1", 1.0)]
    [InlineData("2.25", 2.25)]
    [InlineData("0.01", 0.01)]
    [InlineData("1024", 1024.0)]
    [InlineData("2.50", 2.5)]
    public void Positive_core_counts_with_up_to_two_decimals_parse(string text, double expected)
    {
        Assert.Equal(expected, CoreCount.Parse(text).Cores);
    }

    [Theory]
    [InlineData("-1", "must be greater than 0")]
    [InlineData("0", "must be greater than 0")]
    [InlineData("0.00", "must be greater than 0")]
    [InlineData("abc", "is not a number")]
    [InlineData("1e3", "is not a number")]
    [InlineData("1,5", "is not a number")]
    [InlineData("", "is empty")]
    [InlineData(null, "is empty")]
    [InlineData("1025", "more than 1024")]
    [InlineData("0.125", "more than two decimals")]
    public void Bad_core_counts_are_rejected_saying_what_is_wrong(string? text, string expected)
    {
        Assert.False(CoreCount.TryParse(text, out _, out var error));

        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("abc")]
    public void Core_errors_show_what_is_expected(string text)
    {
        var exception = Assert.Throws<FormatException>(() => CoreCount.Parse(text));

        Assert.Contains($"'{text}'", exception.Message, StringComparison.Ordinal);
        Assert.Contains("e.g. 1, 2 or 0.5", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("0.5", "50%")]
    [InlineData("2", "200%")]
    [InlineData("2.25", "225%")]
    [InlineData("0.01", "1%")]
    public void Cores_become_a_cpu_quota_of_a_hundred_percent_each(string text, string expected)
    {
        Assert.Equal(expected, CoreCount.Parse(text).ToCpuQuota());
    }

    [Theory]
    [InlineData("0.5", "0.5")]
    [InlineData("2.50", "2.5")]
    [InlineData("3", "3")]
    public void Cores_print_as_the_cores_option_takes_them(string text, string expected)
    {
        Assert.Equal(expected, CoreCount.Parse(text).ToString());
    }

    [Theory]
    [InlineData(0.29, 29)]
    [InlineData(0.5, 50)]
    [InlineData(16, 1600)]
    public void Cores_from_the_wire_tolerate_double_rounding(double cores, int hundredths)
    {
        Assert.Equal(hundredths, CoreCount.FromCores(cores).Hundredths);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-0.5)]
    [InlineData(0.125)]
    [InlineData(2048)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void Cores_from_the_wire_out_of_range_or_too_fine_are_refused(double cores)
    {
        Assert.False(CoreCount.TryFromCores(cores, out _, out var error));
        Assert.NotEmpty(error);
        Assert.Throws<ArgumentOutOfRangeException>(() => CoreCount.FromCores(cores));
    }

    [Fact]
    public void Core_counts_compare_by_amount()
    {
        Assert.True(CoreCount.Parse("0.5") < CoreCount.Parse("1"));
        Assert.Equal(CoreCount.Parse("1.50"), CoreCount.FromCores(1.5));
    }
}
