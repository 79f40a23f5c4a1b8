using Google.Protobuf;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class UnaryCallTests
{
    [Fact]
    public async Task Unary_call_returns_the_handlers_response()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) =>
                Task.FromResult(new TaskInfo { Id = request.TaskId, State = TaskState.Running, Node = "node1" })));
        using var channel = server.CreateChannel();

        var task = await new TasksClient(channel).GetAsync(new GetTaskRequest { TaskId = "t-42" });

        Assert.Equal(new TaskInfo { Id = "t-42", State = TaskState.Running, Node = "node1" }, task);
    }

    [Theory]
    [InlineData("No task 't-9'.")]
    [InlineData("Knoten „α“ nicht gefunden — 100% 🚀\r\nzweite Zeile")]
    public async Task Handler_RpcException_reaches_the_client_with_its_code_and_message(string message)
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) => throw RpcException.NotFound(message)));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TasksClient(channel).GetAsync(new GetTaskRequest { TaskId = "t-9" }));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal(message, error.Detail);
    }

    [Fact]
    public async Task Unhandled_exception_becomes_Internal_without_its_details_and_is_logged()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) =>
                throw new InvalidOperationException("connection string Password=hunter2")));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TasksClient(channel).GetAsync(new GetTaskRequest { TaskId = "t-1" }));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("hunter2", error.Detail, StringComparison.Ordinal);
        var logged = Assert.Single(server.Logs.Entries, e => e.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.Contains(TasksMethods.Get.Path, logged.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_one_MiB_message_round_trips_byte_identical()
    {
        var data = new byte[1024 * 1024];
        new Random(1234).NextBytes(data);
        var chunk = new OutputChunk { TaskId = "t-big", Stream = OutputStream.Stderr, Offset = 5, Data = ByteString.CopyFrom(data) };
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)));
        using var channel = server.CreateChannel();

        var echoed = await channel.UnaryCallAsync(TestMethods.Echo, chunk);

        Assert.Equal(chunk, echoed);
        Assert.True(echoed.Data.Span.SequenceEqual(data));
    }

    [Fact]
    public async Task A_request_over_the_servers_max_receive_size_fails_with_ResourceExhausted()
    {
        var handlerCalled = false;
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapUnary(TestMethods.Echo, (request, context) =>
            {
                handlerCalled = true;
                return Task.FromResult(request);
            }),
            services => services.Configure<RpcServerOptions>(o => o.MaxReceiveMessageSize = 64 * 1024));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(TestMethods.Echo, new OutputChunk { Data = ByteString.CopyFrom(new byte[100 * 1024]) }));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.False(handlerCalled);
    }

    [Fact]
    public async Task A_response_over_the_clients_max_receive_size_fails_with_ResourceExhausted()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) =>
                Task.FromResult(new OutputChunk { Data = ByteString.CopyFrom(new byte[100 * 1024]) })));
        using var channel = server.CreateChannel(new RpcChannelOptions { MaxReceiveMessageSize = 64 * 1024 });

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(TestMethods.Echo, new OutputChunk()));

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    [Fact]
    public async Task Headers_and_the_bearer_token_reach_the_handler()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) => Task.FromResult(new TaskInfo
            {
                Id = context.GetBearerToken() ?? "none",
                Node = context.RequestHeaders["x-request-origin"].ToString(),
                Reason = context.Peer,
            })));
        using var channel = server.CreateChannel(new RpcChannelOptions { BearerToken = "s3cret" });

        var task = await new TasksClient(channel).GetAsync(
            new GetTaskRequest(),
            new RpcCallOptions { Headers = [new("x-request-origin", "cli")] });

        Assert.Equal("s3cret", task.Id);
        Assert.Equal("cli", task.Node);
        Assert.StartsWith("ipv4:127.0.0.1:", task.Reason, StringComparison.Ordinal);
    }
}
