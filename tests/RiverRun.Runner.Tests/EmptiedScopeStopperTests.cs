using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using RiverRun.Runner.Tasks;
using RiverRun.Systemd;

namespace RiverRun.Runner.Tests;

/// <summary>The background stop of emptied scopes, against a stand-in systemctl that logs each call.</summary>
public sealed class EmptiedScopeStopperTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new();
    private readonly string _calls;
    private readonly Systemctl _systemctl;

    public EmptiedScopeStopperTests()
    {
        _calls = _temp.Combine("calls");
        _systemctl = new Systemctl(_temp.WriteScript("systemctl", $"echo \"$*\" >> '{_calls}'"));
    }

    public void Dispose() => _temp.Dispose();

    // Moves the clock on until systemctl has been called `expected` times: the stopper's wait may
    // begin a moment after a unit is queued, so one step of the clock might come too early.
    private async Task<string[]> StoppedAsync(int expected)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (!File.Exists(_calls) || File.ReadAllLines(_calls).Length < expected)
        {
            _time.Advance(EmptiedScopeStopper.GatherFor);
            await Task.Delay(10, patience.Token);
        }

        return File.ReadAllLines(_calls);
    }

    [Fact]
    public async Task Scopes_that_empty_while_the_first_waits_are_stopped_by_one_systemctl_call()
    {
        await using var stopper = new EmptiedScopeStopper(_systemctl, _time, NullLogger.Instance);

        stopper.Stop("riverrun-a");
        await Task.Delay(100);
        stopper.Stop("riverrun-b");
        stopper.Stop("riverrun-c");
        Assert.False(File.Exists(_calls), "systemctl ran before the gathering time was up");

        Assert.Equal(["stop -- riverrun-a.scope riverrun-b.scope riverrun-c.scope"], await StoppedAsync(1));
    }

    [Fact]
    public async Task A_scope_that_empties_after_a_batch_went_out_is_stopped_in_the_next_one()
    {
        await using var stopper = new EmptiedScopeStopper(_systemctl, _time, NullLogger.Instance);

        stopper.Stop("riverrun-a");
        await StoppedAsync(1);
        stopper.Stop("riverrun-b");

        Assert.Equal(["stop -- riverrun-a.scope", "stop -- riverrun-b.scope"], await StoppedAsync(2));
    }
}
