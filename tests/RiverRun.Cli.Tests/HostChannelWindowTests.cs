using RiverRun.Contracts;

namespace RiverRun.Cli.Tests;

public class HostChannelWindowTests
{
    [Fact]
    public void Opening_a_channel_to_the_Host_keeps_the_HTTP2_receive_window_fixed_instead_of_letting_it_grow_to_16_MiB()
    {
        using var channel = HostChannel.Create("http://127.0.0.1:8700", new HostChannelOptions());

        Assert.True(AppContext.TryGetSwitch(HostChannel.DynamicWindowSwitch, out var disabled));
        Assert.True(disabled);
        // The name SocketsHttpHandler reads (a typo would silently do nothing).
        Assert.Equal("System.Net.SocketsHttpHandler.Http2FlowControl.DisableDynamicWindowSizing", HostChannel.DynamicWindowSwitch);
    }
}
