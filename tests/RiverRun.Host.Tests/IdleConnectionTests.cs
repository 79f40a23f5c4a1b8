using System.Diagnostics;
using System.Net.Sockets;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>
/// Clients that connect and then do nothing, or send bytes that are no message: the Host lets
/// them go after a bound, with a clear status, and keeps serving.
/// </summary>
public sealed class IdleConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(1);

    private static readonly Method<byte[], byte[]> RawConnect = new(
        MethodType.DuplexStreaming, "riverrun.v1.Runners", "Connect", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-idle-tests-").FullName;
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory, configure: services =>
    {
        services.AddSingleton(new ConnectionLimits { IdleConnectionTimeout = Bound, RequestHeadersTimeout = Bound });
        services.AddSingleton(new HostTimings { HeartbeatInterval = TimeSpan.FromSeconds(1), RegisterTimeout = Bound });
    });

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void The_defaults_are_set_explicitly_and_bounded()
    {
        var defaults = new ConnectionLimits();

        Assert.Equal(TimeSpan.FromSeconds(130), defaults.IdleConnectionTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), defaults.RequestHeadersTimeout);
        Assert.Equal(100, defaults.MaxStreamsPerConnection);
        Assert.Equal(TimeSpan.FromSeconds(30), new HostTimings().RegisterTimeout);
    }

    [Fact]
    public async Task A_connection_that_never_sends_a_byte_is_closed_after_the_bound()
    {
        var closedAfter = await TimeUntilClosedAsync(send: []);

        Assert.InRange(closedAfter, Bound * 0.5, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task An_http2_connection_that_opens_no_stream_after_its_preface_is_closed_after_the_bound()
    {
        // The client preface, then an empty SETTINGS frame: a valid HTTP/2 connection, left idle.
        byte[] preface = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];

        var closedAfter = await TimeUntilClosedAsync(preface);

        Assert.InRange(closedAfter, Bound * 0.5, TimeSpan.FromSeconds(15));
    }

    [Fact]
    public async Task A_runner_stream_that_never_registers_is_ended_after_the_bound_saying_why_and_the_host_keeps_serving()
    {
        var clock = Stopwatch.StartNew();
        using var call = _host.Runners.Connect();

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("no register message within 1s: a Runner stream must begin with register", error.Status.Detail);
        Assert.InRange(clock.Elapsed, Bound * 0.5, TimeSpan.FromSeconds(15));
        Assert.Empty((await _host.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks);
    }

    [Theory]
    [InlineData(new byte[] { 0xff, 0xff, 0xff, 0xff })]
    [InlineData(new byte[] { 0x0a, 0x80 })]
    public async Task Bytes_that_are_no_runner_message_end_the_stream_InvalidArgument_without_internals(byte[] garbage)
    {
        using var call = _host.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(RawConnect, null, default);

        await call.RequestStream.WriteAsync(garbage);
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("the Runner stream's first message is not a valid riverrun.v1.RunnerMessage", error.Status.Detail);
        Assert.Empty((await _host.Nodes.ListAsync(new V1.ListNodesRequest())).Nodes);
    }

    // Connects to the gRPC port with a plain socket, sends the bytes, then reads until the Host
    // closes the connection (a GOAWAY frame may come first).
    private async Task<TimeSpan> TimeUntilClosedAsync(byte[] send)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(_host.GrpcAddress.Host, _host.GrpcAddress.Port);
        var clock = Stopwatch.StartNew();
        if (send.Length > 0)
        {
            await socket.SendAsync(send);
        }

        var buffer = new byte[4096];
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await socket.ReceiveAsync(buffer, giveUp.Token) > 0)
            {
            }
        }
        catch (SocketException)
        {
            // A reset is a close too.
        }

        return clock.Elapsed;
    }
}
