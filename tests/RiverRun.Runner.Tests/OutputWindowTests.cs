using RiverRun.Runner.Output;

namespace RiverRun.Runner.Tests;

/// <summary>The flow-control window of one task's output: pure bookkeeping of sent and acknowledged offsets.</summary>
public sealed class OutputWindowTests
{
    [Fact]
    public void The_window_has_room_until_the_bytes_in_flight_reach_its_size_and_an_ack_opens_it_again()
    {
        var window = new OutputWindow(stdoutOffset: 100, stderrOffset: 0, size: 1000);

        window.Sent(stdout: true, end: 700);
        Assert.True(window.HasRoom);
        window.Sent(stdout: false, end: 400);
        Assert.Equal(1000, window.InFlight);
        Assert.False(window.HasRoom);

        window.Acknowledge(stdoutOffset: 500, stderrOffset: 0);
        Assert.Equal(600, window.InFlight);
        Assert.True(window.HasRoom);
    }

    [Fact]
    public void Acks_never_move_back_nor_beyond_what_was_sent()
    {
        var window = new OutputWindow(0, 0, size: 1000);
        window.Sent(stdout: true, end: 300);

        window.Acknowledge(200, 0);
        window.Acknowledge(100, 0);
        Assert.Equal(100, window.InFlight);

        window.Acknowledge(5000, 5000);
        Assert.Equal(0, window.InFlight);
        window.Sent(stdout: true, end: 400);
        Assert.Equal(100, window.InFlight);
    }

    [Fact]
    public async Task Waiting_for_the_next_acknowledgement_ends_when_one_arrives()
    {
        var window = new OutputWindow(0, 0, size: 10);
        window.Sent(stdout: true, end: 10);
        var next = window.NextAcknowledgement;
        Assert.False(next.IsCompleted);

        window.Acknowledge(10, 0);
        await next.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.True(window.HasRoom);
        Assert.False(window.NextAcknowledgement.IsCompleted);
    }
}
