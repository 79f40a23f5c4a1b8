using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class ConnectionTests
{
    [Fact]
    public async Task Connecting_to_a_closed_port_fails_with_Unavailable_naming_the_address()
    {
        var address = new Uri($"http://127.0.0.1:{ClosedPort()}");
        using var channel = new RpcChannel(address);

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            new TasksClient(channel).GetAsync(new GetTaskRequest()).WaitAsync(TestMethods.Patience));

        Assert.Equal(StatusCode.Unavailable, error.StatusCode);
        Assert.Contains(address.ToString(), error.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_duplex_call_to_a_closed_port_fails_its_reader_and_writer_with_Unavailable()
    {
        using var channel = new RpcChannel(new Uri($"http://127.0.0.1:{ClosedPort()}"));
        using var call = new RunnersClient(channel).Connect();

        var writeError = await Assert.ThrowsAsync<RpcException>(() =>
            call.RequestStream.WriteAsync(new RunnerMessage()).WaitAsync(TestMethods.Patience));
        var readError = await Assert.ThrowsAsync<RpcException>(() =>
            call.ResponseStream.MoveNext().WaitAsync(TestMethods.Patience));

        Assert.Equal(StatusCode.Unavailable, writeError.StatusCode);
        Assert.Equal(StatusCode.Unavailable, readError.StatusCode);
    }

    [Fact]
    public async Task Calling_a_method_the_server_does_not_have_fails_with_Unimplemented()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)));
        using var channel = server.CreateChannel();

        var error = await Assert.ThrowsAsync<RpcException>(() =>
            channel.UnaryCallAsync(TestMethods.NotMapped, new OutputChunk()));

        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task A_request_that_is_not_grpc_is_answered_415()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)));
        using var http = new HttpClient();
        using var request = CancellationAndDeadlineTests.RawRequest(server.Address, TestMethods.Echo.Path, "{}"u8.ToArray(), "application/json");

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal("13", CancellationAndDeadlineTests.StatusOf(response));
    }

    [Fact]
    public async Task A_request_over_HTTP_1_1_is_refused_with_426()
    {
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)),
            protocols: HttpProtocols.Http1);
        using var http = new HttpClient();
        using var request = CancellationAndDeadlineTests.RawRequest(server.Address, TestMethods.Echo.Path, MessageFraming.ToFrame(new OutputChunk()));
        request.Version = HttpVersion.Version11;

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UpgradeRequired, response.StatusCode);
        Assert.Equal("13", CancellationAndDeadlineTests.StatusOf(response));
    }

    [Fact]
    public async Task A_method_only_answers_POST()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)));
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server.Address, TestMethods.Echo.Path))
        {
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }

    [Fact]
    public async Task A_server_answer_is_grpc_with_the_status_in_trailers()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TestMethods.Echo, (request, context) => Task.FromResult(request)));
        using var http = new HttpClient();
        var chunk = new OutputChunk { TaskId = "t-raw" };
        using var request = CancellationAndDeadlineTests.RawRequest(server.Address, TestMethods.Echo.Path, MessageFraming.ToFrame(chunk));

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsByteArrayAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/grpc", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(MessageFraming.ToFrame(chunk), body);
        Assert.Equal("0", Assert.Single(response.TrailingHeaders.GetValues("grpc-status")));
    }

    [Fact]
    public void A_channel_refuses_an_address_that_is_not_http()
    {
        Assert.Throws<ArgumentException>(() => new RpcChannel(new Uri("ftp://host:8700")));
    }

    private static int ClosedPort()
    {
        // Bind to get a free port, then close it: nothing listens there afterwards.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
