namespace RiverRun.Core.Tests;

public class TaskIdTests
{
    [Theory]
    [InlineData("01jv3k8q2m7x")]
    [InlineData("abcdefghijkl")]
    [InlineData("000000000000")]
    public void A_twelve_character_lowercase_alphanumeric_id_parses_and_prints_back(string text)
    {
        var id = TaskId.Parse(text);

        Assert.Equal(text, id.Value);
        Assert.Equal(text, id.ToString());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("abc", "has 3 characters")]
    [InlineData("01jv3k8q2m7xy", "has 13 characters")]
    [InlineData("01JV3K8Q2M7X", "contains 'J'")]
    [InlineData("01jv3k8q-m7x", "contains '-'")]
    [InlineData("01jv3k8q.m7x", "contains '.'")]
    [InlineData("../../etc/pa", "contains '.'")]
    [InlineData("01jv3k8q m7x", "contains ' '")]
    public void An_id_that_could_not_be_part_of_a_unit_name_is_rejected_saying_why(string text, string expected)
    {
        Assert.False(TaskId.TryParse(text, out var id, out var error));

        Assert.Null(id);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_id_is_rejected_as_empty()
    {
        Assert.False(TaskId.TryParse(null, out _, out var error));
        Assert.Contains("empty", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_throws_a_format_exception_carrying_the_reason()
    {
        var exception = Assert.Throws<FormatException>(() => TaskId.Parse("short"));
        Assert.Contains("has 5 characters", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_with_the_same_text_are_equal_and_hash_alike()
    {
        var a = TaskId.Parse("01jv3k8q2m7x");
        var b = TaskId.Parse("01jv3k8q2m7x");

        Assert.Equal(a, b);
        Assert.True(a == b);
        Assert.False(a != b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, TaskId.Parse("01jv3k8q2m7y"));
    }

    [Fact]
    public void Ids_compare_in_ordinal_text_order()
    {
        var earlier = TaskId.Parse("01jv3k8q2m7x");
        var later = TaskId.Parse("01jv3k8q2m7y");

        Assert.True(earlier < later);
        Assert.True(later > earlier);
        Assert.True(earlier.CompareTo(later) < 0);
        Assert.True(earlier.CompareTo(null) > 0);
    }
}
