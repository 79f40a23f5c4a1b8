using RiverRun.Host.Security;

namespace RiverRun.Host.Tests.Security;

public sealed class OpenStreamsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Revoking_a_token_ends_its_streams_and_no_other()
    {
        var streams = new OpenStreams(new ManualTimeProvider(Now));
        using var alice1 = streams.Open(new Caller("alice", TokenRole.User, null, null));
        using var alice2 = streams.Open(new Caller("alice", TokenRole.User, null, null));
        using var bob = streams.Open(new Caller("bob", TokenRole.User, null, null));

        Assert.Equal(2, streams.Revoke("alice"));

        Assert.True(alice1.Ended.IsCancellationRequested);
        Assert.True(alice2.Ended.IsCancellationRequested);
        Assert.False(bob.Ended.IsCancellationRequested);
    }

    [Fact]
    public void A_stream_ends_when_its_token_expires()
    {
        var clock = new ManualTimeProvider(Now);
        var streams = new OpenStreams(clock);
        using var stream = streams.Open(new Caller("ci", TokenRole.Viewer, null, Now.AddMinutes(10)));

        clock.Advance(TimeSpan.FromMinutes(9));
        Assert.False(stream.Ended.IsCancellationRequested);
        clock.Advance(TimeSpan.FromMinutes(1));
        Assert.True(stream.Ended.IsCancellationRequested);
    }

    [Fact]
    public void A_closed_stream_is_forgotten()
    {
        var streams = new OpenStreams(new ManualTimeProvider(Now));
        streams.Open(new Caller("alice", TokenRole.User, null, null)).Dispose();

        Assert.Equal(0, streams.Revoke("alice"));
    }
}
