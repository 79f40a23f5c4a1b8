namespace RiverRun.Systemd.Tests;

public sealed class SystemctlTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Kill_signals_every_process_of_the_scope_unit()
    {
        var fake = new FakeSystemctl(_temp);

        await new Systemctl(fake.Path).KillAsync("riverrun-x", "SIGTERM", KillWhom.All);

        Assert.Equal(["kill|--kill-whom=all|--signal=SIGTERM|--|riverrun-x.scope|"], fake.Calls);
    }

    [Fact]
    public async Task A_unit_name_with_a_suffix_is_passed_unchanged()
    {
        var fake = new FakeSystemctl(_temp);

        await new Systemctl(fake.Path).StopAsync("riverrun-x.scope");

        Assert.Equal(["stop|--|riverrun-x.scope|"], fake.Calls);
    }

    [Theory]
    [InlineData("active", true)]
    [InlineData("deactivating", true)]
    [InlineData("inactive", false)]
    [InlineData("failed", false)]
    public async Task Is_active_is_true_while_the_unit_can_still_have_processes(string state, bool expected)
    {
        var fake = new FakeSystemctl(_temp, state);

        Assert.Equal(expected, await new Systemctl(fake.Path).IsActiveAsync("riverrun-x"));
    }

    [Fact]
    public async Task Show_asks_for_the_given_properties_and_parses_the_answer()
    {
        var fake = new FakeSystemctl(_temp, controlGroup: "/system.slice/riverrun-x.scope");

        var properties = await new Systemctl(fake.Path).ShowAsync("riverrun-x", ["ActiveState", "ControlGroup"]);

        Assert.Equal("active", properties["ActiveState"]);
        Assert.Equal("/system.slice/riverrun-x.scope", properties["ControlGroup"]);
        Assert.Equal(["show|--property=ActiveState|--property=ControlGroup|--|riverrun-x.scope|"], fake.Calls);
    }

    [Fact]
    public async Task List_units_asks_for_scopes_in_any_state_in_plain_form()
    {
        var fake = new FakeSystemctl(_temp);

        var units = await new Systemctl(fake.Path).ListUnitsAsync("riverrun-*");

        Assert.Equal("riverrun-a1.scope", Assert.Single(units).Name);
        Assert.Equal(["list-units|--type=scope|--all|--plain|--no-legend|--no-pager|--|riverrun-*|"], fake.Calls);
    }

    [Fact]
    public async Task A_failing_call_throws_with_systemctls_message_and_exit_code()
    {
        var fake = new FakeSystemctl(_temp);

        var exception = await Assert.ThrowsAsync<SystemctlException>(() => new Systemctl(fake.Path).FreezeAsync("riverrun-x"));

        Assert.Equal(1, exception.ExitCode);
        Assert.Contains("Operation not supported", exception.Message, StringComparison.Ordinal);
        Assert.Equal(["freeze|--|riverrun-x.scope|"], fake.Calls);
    }

    [Fact]
    public async Task Thaw_is_a_separate_call()
    {
        var fake = new FakeSystemctl(_temp);

        await Assert.ThrowsAsync<SystemctlException>(() => new Systemctl(fake.Path).ThawAsync("riverrun-x"));

        Assert.Equal(["thaw|--|riverrun-x.scope|"], fake.Calls);
    }
}
