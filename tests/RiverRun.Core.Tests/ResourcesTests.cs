namespace RiverRun.Core.Tests;

public class ResourcesTests
{
    private const long G = 1L << 30;

    [Fact]
    public void Resources_add_and_subtract_per_dimension()
    {
        var a = new Resources(2, 4 * G);
        var b = new Resources(0.5, G);

        Assert.Equal(new Resources(2.5, 5 * G), a + b);
        Assert.Equal(new Resources(1.5, 3 * G), a - b);
        Assert.Equal(a + b, Resources.Add(a, b));
        Assert.Equal(a - b, Resources.Subtract(a, b));
    }

    [Fact]
    public void Subtracting_more_than_there_is_goes_negative_rather_than_clamping()
    {
        var free = new Resources(1, G) - new Resources(2, 2 * G);

        Assert.Equal(new Resources(-1, -G), free);
        Assert.Equal(new Resources(1, G), free + new Resources(2, 2 * G));
    }

    [Theory]
    [InlineData(2, 4, 2, 4, true)]
    [InlineData(2, 4, 4, 8, true)]
    [InlineData(2.5, 4, 2, 8, false)]
    [InlineData(2, 5, 4, 4, false)]
    [InlineData(0, 4, 0, 4, true)]
    [InlineData(0, 0, -3, -1, true)]
    [InlineData(0, 2, -3, 2, true)]
    [InlineData(1, 0, 1, -1, true)]
    public void A_request_fits_when_every_dimension_it_asks_for_is_free(
        double cores, long memoryGigabytes, double freeCores, long freeGigabytes, bool fits)
    {
        var request = new Resources(cores, memoryGigabytes * G);
        var free = new Resources(freeCores, freeGigabytes * G);

        Assert.Equal(fits, request.Fits(free));
    }

    [Fact]
    public void Core_sums_with_double_rounding_still_fit_exactly()
    {
        // 0.1 + 0.2 is 0.30000000000000004 in doubles.
        var free = new Resources(1, 0) - new Resources(0.1, 0) - new Resources(0.6, 0);

        Assert.True(new Resources(0.3, 0).Fits(free));
    }

    [Fact]
    public void Resources_describe_themselves_for_messages()
    {
        Assert.Equal("2 cores, 4G memory", new Resources(2, 4 * G).ToString());
        Assert.Equal("1 core, any memory", new Resources(1, 0).ToString());
        Assert.Equal("any cores, 512M memory", new Resources(0, G / 2).ToString());
    }
}
