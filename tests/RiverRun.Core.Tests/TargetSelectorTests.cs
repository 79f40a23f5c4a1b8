namespace RiverRun.Core.Tests;

public class TargetSelectorTests
{
    [Fact]
    public void A_bare_node_name_targets_the_whole_node()
    {
        var target = TargetSelector.Parse("node1");

        Assert.Equal("node1", target.Node);
        Assert.Null(target.NumaNode);
        Assert.Empty(target.Gpus);
    }

    [Fact]
    public void A_number_after_one_colon_is_a_numa_node()
    {
        var target = TargetSelector.Parse("node1:0");

        Assert.Equal("node1", target.Node);
        Assert.Equal(0, target.NumaNode);
        Assert.Empty(target.Gpus);
    }

    [Fact]
    public void A_list_after_two_colons_is_gpus()
    {
        var target = TargetSelector.Parse("node1::0,1");

        Assert.Equal("node1", target.Node);
        Assert.Null(target.NumaNode);
        Assert.Equal([0, 1], target.Gpus);
    }

    [Fact]
    public void Numa_node_and_gpus_may_be_given_together()
    {
        var target = TargetSelector.Parse("node1:0:1");

        Assert.Equal(0, target.NumaNode);
        Assert.Equal([1], target.Gpus);
    }

    [Fact]
    public void Gpus_keep_the_order_given()
    {
        Assert.Equal([3, 1, 2], TargetSelector.Parse("gpu-box::3,1,2").Gpus);
    }

    [Theory]
    [InlineData("node1")]
    [InlineData("node1:0")]
    [InlineData("node1::0,1")]
    [InlineData("node1:0:1")]
    [InlineData("n2-a.lab_x:3:7,2,5")]
    [InlineData("1node")]
    public void The_text_form_round_trips(string text)
    {
        var target = TargetSelector.Parse(text);

        Assert.Equal(text, target.ToString());
        Assert.Equal(target, TargetSelector.Parse(target.ToString()));
    }

    [Theory]
    [InlineData("", "target is empty")]
    [InlineData(":0", "no node name")]
    [InlineData("::0", "no node name")]
    [InlineData("node1:", "nothing after ':'")]
    [InlineData("node1::", "no GPU after")]
    [InlineData("node1:0:", "no GPU after")]
    [InlineData("node1:x", "NUMA node 'x' is not a number")]
    [InlineData("node1:-1", "NUMA node '-1' is negative")]
    [InlineData("node1::-1", "GPU '-1' is negative")]
    [InlineData("node1::0,,1", "empty entry")]
    [InlineData("node1::0,", "empty entry")]
    [InlineData("node1::a", "GPU 'a' is not a number")]
    [InlineData("node1::0,1,0", "lists GPU 0 more than once")]
    [InlineData("node1::99999999999", "too large")]
    [InlineData("node1:0:1:2", "more than two ':'")]
    [InlineData("node 1", "contains a space")]
    [InlineData("node1: 0", "contains a space")]
    [InlineData(" node1", "contains a space")]
    [InlineData("-node", "starts with '-'")]
    [InlineData(".node", "starts with '.'")]
    [InlineData("no/de", "contains '/'")]
    [InlineData("node1:+1", "'+1' is not a number")]
    public void Bad_targets_are_rejected_with_the_expected_syntax(string text, string expected)
    {
        Assert.False(TargetSelector.TryParse(text, out var target, out var error));

        Assert.Null(target);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Contains(TargetSelector.Syntax, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_name_longer_than_64_characters_is_rejected()
    {
        Assert.True(TargetSelector.TryParse(new string('a', 64), out _, out _));

        Assert.False(TargetSelector.TryParse(new string('a', 65), out _, out var error));
        Assert.Contains("65 characters", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_format_exception_showing_the_syntax()
    {
        var exception = Assert.Throws<FormatException>(() => TargetSelector.Parse("node1:x"));
        Assert.Contains("node1::0,1", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selectors_with_the_same_node_numa_and_gpus_are_equal()
    {
        var a = new TargetSelector("node1", 0, [1, 2]);
        var b = TargetSelector.Parse("node1:0:1,2");

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, new TargetSelector("node1", 0, [2, 1]));
        Assert.NotEqual(a, new TargetSelector("node1", null, [1, 2]));
    }

    [Fact]
    public void Constructing_an_invalid_selector_throws()
    {
        Assert.Throws<ArgumentException>(() => new TargetSelector(""));
        Assert.Throws<ArgumentException>(() => new TargetSelector("a:b"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TargetSelector("node1", -1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TargetSelector("node1", null, [0, -2]));
        Assert.Throws<ArgumentException>(() => new TargetSelector("node1", null, [1, 1]));
    }
}
