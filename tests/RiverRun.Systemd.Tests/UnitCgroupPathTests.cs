namespace RiverRun.Systemd.Tests;

public sealed class UnitCgroupPathTests
{
    [Theory]
    [InlineData("-.slice", "/")]
    [InlineData("riverrun.slice", "/riverrun.slice")]
    [InlineData("riverrun-node1.slice", "/riverrun.slice/riverrun-node1.slice")]
    [InlineData("a-b-c.slice", "/a.slice/a-b.slice/a-b-c.slice")]
    // An escaped '-' (a Runner named node2-a) is part of the name, not a level of nesting.
    [InlineData("riverrun-node2\\x2da.slice", "/riverrun.slice/riverrun-node2\\x2da.slice")]
    public void A_slice_lives_under_the_slice_named_by_each_prefix_up_to_a_dash(string slice, string expected) =>
        Assert.Equal(expected, UnitCgroupPath.OfSlice(slice));

    [Fact]
    public void A_scope_lives_inside_its_slice() =>
        Assert.Equal("/riverrun.slice/riverrun-node1.slice/riverrun-t1.scope", UnitCgroupPath.OfUnitInSlice("riverrun-t1.scope", "riverrun-node1.slice"));

    [Fact]
    public void A_scope_in_the_root_slice_lives_at_the_root() =>
        Assert.Equal("/x.scope", UnitCgroupPath.OfUnitInSlice("x.scope", "-.slice"));

    [Theory]
    [InlineData("riverrun")]
    [InlineData("a/b.slice")]
    [InlineData("-a.slice")]
    [InlineData("a-.slice")]
    [InlineData("a--b.slice")]
    [InlineData(".slice")]
    public void A_name_systemd_would_not_take_as_a_slice_is_refused_with_the_name(string slice)
    {
        var error = Assert.Throws<ArgumentException>(() => UnitCgroupPath.OfSlice(slice));
        Assert.Contains(slice, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_unit_name_with_a_slash_is_refused() =>
        Assert.Throws<ArgumentException>(() => UnitCgroupPath.OfUnitInSlice("../x.scope", "riverrun.slice"));
}
