using System.Net;
using System.Net.Http.Headers;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class CancellationAndDeadlineTests
{
    [Fact]
    public async Task Client_cancellation_cancels_the_server_handlers_token()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapServerStreaming(TasksMethods.WatchOutput, async (request, responses, context) =>
            {
                await responses.WriteAsync(new WatchOutputResponse { Task = new TaskInfo { Id = "t-1" } });
                using var registration = context.CancellationToken.Register(() => handlerCancelled.TrySetResult());
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
            }));
        using var channel = server.CreateChannel();
        using var cancellation = new CancellationTokenSource();
        await using var stream = new TasksClient(channel).WatchOutput(new WatchOutputRequest(), cancellation.Token).GetAsyncEnumerator();
        Assert.True(await stream.MoveNextAsync().AsTask().WaitAsync(TestMethods.Patience));

        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => stream.MoveNextAsync().AsTask().WaitAsync(TestMethods.Patience));
        await handlerCancelled.Task.WaitAsync(TestMethods.Patience);
    }

    [Fact]
    public async Task Disposing_a_duplex_call_cancels_the_server_handlers_token()
    {
        var handlerCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstMessageRead = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapDuplexStreaming(RunnersMethods.Connect, async (requests, responses, context) =>
            {
                using var registration = context.CancellationToken.Register(() => handlerCancelled.TrySetResult());
                await requests.MoveNext(context.CancellationToken);
                firstMessageRead.TrySetResult();
                await requests.MoveNext(context.CancellationToken);
            }));
        using var channel = server.CreateChannel();
        var call = new RunnersClient(channel).Connect();
        await call.RequestStream.WriteAsync(new RunnerMessage { Register = new Register { Name = "node1" } });
        await firstMessageRead.Task.WaitAsync(TestMethods.Patience);

        await call.DisposeAsync();

        await handlerCancelled.Task.WaitAsync(TestMethods.Patience);
    }

    [Fact]
    public async Task A_call_past_its_deadline_fails_with_DeadlineExceeded_on_both_sides()
    {
        var handlerSawDeadline = new TaskCompletionSource<DateTimeOffset?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, async (request, context) =>
            {
                using var registration = context.CancellationToken.Register(() => handlerSawDeadline.TrySetResult(context.Deadline));
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new TaskInfo();
            }));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => new TasksClient(channel).GetAsync(
            new GetTaskRequest(),
            new RpcCallOptions { Timeout = TimeSpan.FromMilliseconds(300) }).WaitAsync(TestMethods.Patience));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.NotNull(await handlerSawDeadline.Task.WaitAsync(TestMethods.Patience));
    }

    [Fact]
    public async Task The_server_enforces_grpc_timeout_even_when_the_client_does_not()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, async (request, context) =>
            {
                await Task.Delay(Timeout.Infinite, context.CancellationToken);
                return new TaskInfo();
            }));
        using var http = new HttpClient();
        using var request = RawRequest(server.Address, TasksMethods.Get.Path, MessageFraming.ToFrame(new GetTaskRequest()));
        request.Headers.TryAddWithoutValidation("grpc-timeout", "200m");

        using var response = await http.SendAsync(request).WaitAsync(TestMethods.Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("4", StatusOf(response));
    }

    [Fact]
    public async Task A_zero_timeout_fails_with_DeadlineExceeded_without_calling_the_server()
    {
        var handlerCalled = false;
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) =>
            {
                handlerCalled = true;
                return Task.FromResult(new TaskInfo());
            }));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() => new TasksClient(channel).GetAsync(
            new GetTaskRequest(),
            new RpcCallOptions { Timeout = TimeSpan.Zero }));

        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
        Assert.False(handlerCalled);
    }

    internal static HttpRequestMessage RawRequest(Uri address, string path, byte[] body, string contentType = "application/grpc")
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return new HttpRequestMessage(HttpMethod.Post, new Uri(address, path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
    }

    /// <summary>grpc-status from the trailers, or from the headers of a trailers-only response.</summary>
    internal static string? StatusOf(HttpResponseMessage response) =>
        response.Headers.TryGetValues("grpc-status", out var inHeaders) ? inHeaders.Single()
        : response.TrailingHeaders.TryGetValues("grpc-status", out var inTrailers) ? inTrailers.Single()
        : null;
}
