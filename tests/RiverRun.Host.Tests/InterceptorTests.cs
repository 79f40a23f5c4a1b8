using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RiverRun.Contracts;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>The interceptors every call passes: authorization and error mapping.</summary>
public sealed class InterceptorTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-interceptor-tests-").FullName;
    private readonly RecordingAuthorizer _authorizer = new();
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() =>
        _host = await TestHost.StartAsync(_directory, configure: services => services.AddSingleton<ICallAuthorizer>(_authorizer));

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_refused_call_ends_with_the_authorizers_status_and_its_handler_never_runs()
    {
        _authorizer.Refuse = "riverrun.v1.Tasks/Submit";
        var spec = new V1.TaskSpec { Argv = { "true" } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(new V1.SubmitRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.Unauthenticated, error.StatusCode);
        Assert.Equal("refused by the test", error.Status.Detail);
        var stored = await _host.Services.GetRequiredService<ITaskStore>().ListAsync(new TaskQuery([], null, 100, null));
        Assert.Empty(stored.Tasks);
    }

    [Fact]
    public async Task The_authorizer_is_asked_with_the_service_and_method_of_each_call()
    {
        await _host.Nodes.ListAsync(new V1.ListNodesRequest());
        await using (var runner = await FakeRunner.ConnectAsync(_host, "node1"))
        {
        }

        Assert.Equal(["riverrun.v1.Nodes/List", "riverrun.v1.Runners/Connect"], _authorizer.Asked);
    }

    [Fact]
    public async Task The_role_comes_from_the_routed_method_so_a_path_in_other_letter_case_is_still_a_Runner_call()
    {
        _authorizer.Refuse = "riverrun.v1.Runners/Connect";
        var shouting = new Method<V1.RunnerMessage, V1.HostMessage>(
            MethodType.DuplexStreaming, "RIVERRUN.V1.RUNNERS", "CONNECT",
            Marshallers.Create(m => m.ToByteArray(), V1.RunnerMessage.Parser.ParseFrom),
            Marshallers.Create(m => m.ToByteArray(), V1.HostMessage.Parser.ParseFrom));

        using var call = _host.Channel.CreateCallInvoker().AsyncDuplexStreamingCall(shouting, null, new CallOptions());
        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());

        // Either routing refuses the odd path (Unimplemented) or it reaches Connect as a Runner
        // call and is refused as one; it must never pass as a client call.
        Assert.Contains(error.StatusCode, new[] { StatusCode.Unauthenticated, StatusCode.Unimplemented });
        Assert.All(_authorizer.Asked, asked => Assert.Equal("riverrun.v1.Runners/Connect", asked));
    }

    [Fact]
    public async Task Standard_services_need_no_RiverRun_role()
    {
        _authorizer.Refuse = "grpc.health.v1.Health/Check";
        var health = new Grpc.Health.V1.Health.HealthClient(_host.Channel);

        var answer = await health.CheckAsync(new Grpc.Health.V1.HealthCheckRequest());

        Assert.Equal(Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, answer.Status);
        Assert.Empty(_authorizer.Asked);
    }

    [Theory]
    [InlineData("riverrun.v1.Runners")]
    [InlineData("riverrun.v1.Tasks")]
    [InlineData("riverrun.v1.Tokens")]
    public void Every_RiverRun_service_needs_a_token(string service) =>
        Assert.True(RpcPermissions.NeedsToken(service));

    [Theory]
    [InlineData("grpc.health.v1.Health")]
    [InlineData("grpc.reflection.v1alpha.ServerReflection")]
    [InlineData("RIVERRUN.V1.RUNNERS")]
    public void Services_that_are_not_RiverRuns_need_no_token(string service) =>
        Assert.False(RpcPermissions.NeedsToken(service));

    [Fact]
    public async Task An_unexpected_exception_becomes_Internal_without_its_message()
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<V1.GetTaskRequest, V1.TaskInfo>(
            new V1.GetTaskRequest(), new FakeServerCallContext(), (_, _) => throw new InvalidOperationException("secret internals")));

        Assert.Equal(StatusCode.Internal, error.StatusCode);
        Assert.DoesNotContain("secret", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("/riverrun.v1.Tasks/Submit", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_the_handler_chose_passes_unchanged()
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<V1.GetTaskRequest, V1.TaskInfo>(
            new V1.GetTaskRequest(), new FakeServerCallContext(), (_, _) => throw RpcErrors.NotFound("no task with id 'x'")));

        Assert.Equal(StatusCode.NotFound, error.StatusCode);
        Assert.Equal("no task with id 'x'", error.Status.Detail);
    }

    [Fact]
    public async Task A_call_the_client_cancelled_ends_Cancelled()
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();

        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<V1.GetTaskRequest, V1.TaskInfo>(
            new V1.GetTaskRequest(), new FakeServerCallContext(cancellationToken: gone.Token), (_, context) => throw new OperationCanceledException(context.CancellationToken)));

        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
    }

    private sealed class RecordingAuthorizer : ICallAuthorizer
    {
        private readonly List<string> _asked = [];

        public string? Refuse { get; set; }

        public IReadOnlyList<string> Asked
        {
            get
            {
                lock (_asked)
                {
                    return [.. _asked];
                }
            }
        }

        public ValueTask<Caller> AuthorizeAsync(string serviceName, string methodName, ServerCallContext context)
        {
            var asked = serviceName + "/" + methodName;
            lock (_asked)
            {
                _asked.Add(asked);
            }

            return asked == Refuse ? throw RpcErrors.Unauthenticated("refused by the test") : ValueTask.FromResult(Caller.OpenAccess);
        }
    }
}
