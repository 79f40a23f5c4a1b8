namespace RiverRun.Core.Tests;

public class NodeNameTests
{
    [Theory]
    [InlineData("node1")]
    [InlineData("n")]
    [InlineData("0")]
    [InlineData("node2-a")]
    [InlineData("gpu_box.lab")]
    [InlineData("NODE1")]
    public void Names_of_letters_digits_dashes_underscores_and_dots_are_valid(string name)
    {
        Assert.True(NodeName.IsValid(name));
        Assert.Null(NodeName.Validate(name));
    }

    [Theory]
    [InlineData(null, "empty")]
    [InlineData("", "empty")]
    [InlineData("-a", "starts with '-'")]
    [InlineData("_a", "starts with '_'")]
    [InlineData("a b", "contains a space")]
    [InlineData("a:b", "contains ':'")]
    [InlineData("a,b", "contains ','")]
    [InlineData("nöde", "contains 'ö'")]
    public void Other_names_are_rejected_saying_why(string? name, string expected)
    {
        Assert.False(NodeName.IsValid(name));
        Assert.Contains(expected, NodeName.Validate(name), StringComparison.Ordinal);
    }
}
