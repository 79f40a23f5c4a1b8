using Google.Protobuf;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class StreamingCallTests
{
    private static WatchOutputResponse Output(long offset) =>
        new() { Output = new OutputChunk { TaskId = "t-1", Offset = offset, Data = ByteString.CopyFromUtf8($"line {offset}\n") } };

    [Fact]
    public async Task Server_streaming_delivers_many_messages_in_order()
    {
        const int count = 2000;
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapServerStreaming(TasksMethods.WatchOutput, async (request, responses, context) =>
            {
                for (var i = 0; i < count; i++)
                {
                    await responses.WriteAsync(Output(i));
                }
            }));
        using var channel = server.CreateChannel();

        var offsets = new List<long>();
        await foreach (var response in new TasksClient(channel).WatchOutput(new WatchOutputRequest { TaskId = "t-1" }))
        {
            offsets.Add(response.Output.Offset);
        }

        Assert.Equal(Enumerable.Range(0, count).Select(i => (long)i), offsets);
    }

    [Fact]
    public async Task Server_streaming_delivers_the_first_message_before_the_handler_finishes()
    {
        var firstMessageSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapServerStreaming(TasksMethods.WatchOutput, async (request, responses, context) =>
            {
                await responses.WriteAsync(Output(0));
                // The handler cannot go on until the client has the first message: only a live stream passes.
                await firstMessageSeen.Task.WaitAsync(context.CancellationToken);
                await responses.WriteAsync(Output(1));
            }));
        using var channel = server.CreateChannel();
        await using var stream = new TasksClient(channel).WatchOutput(new WatchOutputRequest()).GetAsyncEnumerator();

        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(TestMethods.Patience));
        Assert.Equal(0, stream.Current.Output.Offset);
        firstMessageSeen.SetResult();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(TestMethods.Patience));
        Assert.Equal(1, stream.Current.Output.Offset);
        Assert.False(await stream.MoveNextAsync().AsTask().WaitAsync(TestMethods.Patience));
    }

    [Fact]
    public async Task An_error_after_streamed_messages_arrives_after_them()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapServerStreaming(TasksMethods.WatchOutput, async (request, responses, context) =>
            {
                await responses.WriteAsync(Output(0));
                await responses.WriteAsync(Output(1));
                throw RpcException.FailedPrecondition("the task's output was deleted");
            }));
        using var channel = server.CreateChannel();

        var received = new List<long>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var response in new TasksClient(channel).WatchOutput(new WatchOutputRequest()))
            {
                received.Add(response.Output.Offset);
            }
        });

        Assert.Equal([0L, 1L], received);
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Equal("the task's output was deleted", error.Detail);
    }

    [Fact]
    public async Task A_server_stream_without_messages_ends_cleanly()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapServerStreaming(TasksMethods.WatchOutput, (request, responses, context) => Task.CompletedTask));
        using var channel = server.CreateChannel();

        var responses = await new TasksClient(channel).WatchOutput(new WatchOutputRequest()).ToListAsync();

        Assert.Empty(responses);
    }

    [Fact]
    public async Task Duplex_ping_pong_runs_over_one_stream()
    {
        var callsSeen = 0;
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapDuplexStreaming(RunnersMethods.Connect, async (requests, responses, context) =>
            {
                Interlocked.Increment(ref callsSeen);
                await foreach (var message in requests.ReadAllAsync(context.CancellationToken))
                {
                    await responses.WriteAsync(new HostMessage { CommandId = "pong " + message.Ack.CommandId });
                }

                await responses.WriteAsync(new HostMessage { CommandId = "bye" });
            }));
        using var channel = server.CreateChannel();
        using var call = new RunnersClient(channel).Connect();

        for (var i = 0; i < 20; i++)
        {
            // Each reply must arrive before the next request is sent: a real round trip on an open stream.
            await call.RequestStream.WriteAsync(new RunnerMessage { Ack = new CommandAck { CommandId = $"ping {i}" } });
            Assert.True(await call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));
            Assert.Equal($"pong ping {i}", call.ResponseStream.Current.CommandId);
        }

        await call.RequestStream.CompleteAsync();
        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));
        Assert.Equal("bye", call.ResponseStream.Current.CommandId);
        Assert.False(await call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));
        Assert.Equal(1, callsSeen);
    }

    [Fact]
    public async Task A_duplex_server_can_speak_first()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapDuplexStreaming(RunnersMethods.Connect, async (requests, responses, context) =>
            {
                await responses.WriteAsync(new HostMessage { CommandId = "hello" });
                while (await requests.MoveNext(context.CancellationToken))
                {
                }
            }));
        using var channel = server.CreateChannel();
        using var call = new RunnersClient(channel).Connect();

        Assert.True(await call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));
        Assert.Equal("hello", call.ResponseStream.Current.CommandId);
        await call.RequestStream.CompleteAsync();
        Assert.False(await call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));
    }

    [Fact]
    public async Task A_duplex_handler_error_reaches_the_reader()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapDuplexStreaming(RunnersMethods.Connect, async (requests, responses, context) =>
            {
                Assert.True(await requests.MoveNext(context.CancellationToken));
                throw RpcException.InvalidArgument("the first message must be Register");
            }));
        using var channel = server.CreateChannel();
        using var call = new RunnersClient(channel).Connect();

        await call.RequestStream.WriteAsync(new RunnerMessage { Heartbeat = new Heartbeat() });
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal("the first message must be Register", error.Detail);
    }
}
