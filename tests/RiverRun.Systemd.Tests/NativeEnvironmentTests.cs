using RiverRun.Systemd.Processes;

namespace RiverRun.Systemd.Tests;

public sealed class NativeEnvironmentTests
{
    [Fact]
    public void A_variable_set_is_what_the_C_library_reads_back_even_with_non_ascii_text()
    {
        var name = "RIVERRUN_TEST_" + Guid.NewGuid().ToString("N");

        NativeEnvironment.Set(name, "/tmp/ä b=c");

        Assert.Equal("/tmp/ä b=c", NativeEnvironment.Get(name));
    }

    [Fact]
    public void A_variable_never_set_reads_as_null()
    {
        Assert.Null(NativeEnvironment.Get("RIVERRUN_TEST_NEVER_SET_" + Guid.NewGuid().ToString("N")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0B")]
    public void A_name_the_environment_cannot_hold_is_refused(string name)
    {
        Assert.Throws<ArgumentException>(() => NativeEnvironment.Set(name, "x"));
    }

    [Fact]
    public void A_value_with_nul_is_refused_rather_than_cut_short()
    {
        Assert.Throws<ArgumentException>(() => NativeEnvironment.Set("RIVERRUN_TEST_NUL", "a\0b"));
    }
}
