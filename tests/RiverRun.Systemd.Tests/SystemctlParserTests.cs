namespace RiverRun.Systemd.Tests;

public class SystemctlParserTests
{
    [Fact]
    public void Show_output_becomes_a_dictionary_split_at_the_first_equals_sign()
    {
        const string output = "ActiveState=active\nControlGroup=/riverrun.slice/riverrun-node1.slice/riverrun-x.scope\nDescription=/bin/sh -c a=b\nResult=success\n";

        var properties = SystemctlShowParser.Parse(output);

        Assert.Equal("active", properties["ActiveState"]);
        Assert.Equal("/riverrun.slice/riverrun-node1.slice/riverrun-x.scope", properties["ControlGroup"]);
        Assert.Equal("/bin/sh -c a=b", properties["Description"]);
        Assert.Equal(4, properties.Count);
    }

    [Fact]
    public void Show_keeps_empty_values_and_skips_lines_without_a_key()
    {
        var properties = SystemctlShowParser.Parse("ControlGroup=\n\n=orphan\n");

        Assert.Equal(string.Empty, properties["ControlGroup"]);
        Assert.Single(properties);
    }

    [Fact]
    public void List_units_rows_are_split_into_columns_with_the_description_kept_whole()
    {
        const string output =
            "riverrun-a1.scope loaded active running /bin/sh -c script riverrun-wrapper\n" +
            "● riverrun-b2.scope loaded failed failed  /bin/sh\n" +
            "\n";

        var units = UnitListParser.Parse(output);

        Assert.Equal(
            [
                new UnitListEntry("riverrun-a1.scope", "loaded", "active", "running", "/bin/sh -c script riverrun-wrapper"),
                new UnitListEntry("riverrun-b2.scope", "loaded", "failed", "failed", "/bin/sh"),
            ],
            units);
    }

    [Fact]
    public void List_units_skips_continuation_lines_of_a_description_that_contained_newlines()
    {
        const string output =
            "riverrun-a1.scope loaded active running /bin/sh -c echo $$ >\"$1/started\"\n" +
            "exec </dev/null >/dev/null 2>>\"$1/wrapper.log\"\n" +
            "trap : TERM INT HUP\n" +
            "riverrun-b2.scope loaded active running RiverRun task riverrun-b2\n";

        var units = UnitListParser.Parse(output);

        Assert.Equal(["riverrun-a1.scope", "riverrun-b2.scope"], units.Select(u => u.Name));
    }

    [Fact]
    public void List_units_with_nothing_matching_is_empty()
    {
        Assert.Empty(UnitListParser.Parse(string.Empty));
    }

    [Fact]
    public void A_passwd_line_gives_name_uid_primary_gid_and_home()
    {
        var account = UserDatabaseParsers.ParsePasswd("alice:x:1000:1001:Alice,,,:/home/alice:/bin/bash\n");

        Assert.Equal(new UserAccount("alice", 1000, 1001, "/home/alice", "/bin/bash"), account);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice:x:abc:1000:::/bin/sh")]
    [InlineData("alice:x:1000")]
    public void A_malformed_passwd_line_gives_null(string line)
    {
        Assert.Null(UserDatabaseParsers.ParsePasswd(line));
    }

    [Fact]
    public void A_group_line_gives_its_gid()
    {
        Assert.Equal(27, UserDatabaseParsers.ParseGroupId("sudo:x:27:alice,bob"));
    }
}
