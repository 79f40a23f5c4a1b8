using Google.Protobuf.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

public class TypedServiceTests
{
    [Fact]
    public async Task A_mapped_service_answers_its_overridden_methods_and_Unimplemented_for_the_rest()
    {
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapTasksService<FakeTasks>(),
            services => services.AddScoped<FakeTasks>());
        using var channel = server.CreateChannel(new RpcChannelOptions { BearerToken = "client-token" });
        var client = new TasksClient(channel);

        var task = await client.GetAsync(new GetTaskRequest { TaskId = "t-7" });
        var error = await Assert.ThrowsAsync<RpcException>(() => client.ListAsync(new ListTasksRequest()));

        Assert.Equal("t-7", task.Id);
        Assert.Equal("client-token", task.Reason);
        Assert.Equal(StatusCode.Unimplemented, error.StatusCode);
    }

    [Fact]
    public async Task A_scoped_service_is_a_new_instance_per_call()
    {
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapTasksService<FakeTasks>(),
            services => services.AddScoped<FakeTasks>());
        using var channel = server.CreateChannel();
        var client = new TasksClient(channel);

        var first = await client.GetAsync(new GetTaskRequest());
        var second = await client.GetAsync(new GetTaskRequest());

        Assert.NotEqual(first.Unit, second.Unit);
    }

    [Fact]
    public async Task The_runners_stream_works_through_the_typed_base_and_client()
    {
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapRunnersService<FakeRunners>(),
            services => services.AddSingleton<FakeRunners>());
        using var channel = server.CreateChannel();
        using var call = new RunnersClient(channel).Connect();

        await call.RequestStream.WriteAsync(new RunnerMessage { Register = new Register { Name = "node1" } });
        await call.RequestStream.CompleteAsync();
        var replies = await call.ResponseStream.ReadAllAsync().ToListAsync().AsTask().WaitAsync(TestMethods.Patience);

        var reply = Assert.Single(replies);
        Assert.Equal(HostMessage.MessageOneofCase.Registered, reply.MessageCase);
        Assert.Equal("node1", reply.Registered.ForgetTaskIds.Single());
    }

    [Fact]
    public async Task The_nodes_service_works_through_the_typed_base_and_client()
    {
        await using var server = await RpcTestServer.StartAsync(
            app => app.MapNodesService<FakeNodes>(),
            services => services.AddSingleton<FakeNodes>());
        using var channel = server.CreateChannel();

        var nodes = await new NodesClient(channel).ListAsync(new ListNodesRequest());

        Assert.Equal("node1", Assert.Single(nodes.Nodes).Name);
    }

    [Fact]
    public void Mapping_a_service_that_is_not_registered_fails_at_startup()
    {
        var app = WebApplication.CreateSlimBuilder().Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapTasksService<FakeTasks>());

        Assert.Contains(nameof(FakeTasks), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_method_descriptors_match_the_services_of_the_protos()
    {
        var fromProtos = new[] { TasksReflection.Descriptor, NodesReflection.Descriptor, RunnerReflection.Descriptor }
            .SelectMany(file => file.Services)
            .SelectMany(service => service.Methods)
            .Select(method => (Path: $"/{method.Service.FullName}/{method.Name}", Kind: KindOf(method), method.InputType.ClrType, method.OutputType.ClrType))
            .OrderBy(m => m.Path, StringComparer.Ordinal);

        var described = new[]
        {
            Describe(TasksMethods.Submit), Describe(TasksMethods.Get), Describe(TasksMethods.List), Describe(TasksMethods.WatchOutput),
            Describe(TasksMethods.Kill), Describe(TasksMethods.Pause), Describe(TasksMethods.Resume),
            Describe(NodesMethods.List), Describe(RunnersMethods.Connect),
        }.OrderBy(m => m.Path, StringComparer.Ordinal);

        Assert.Equal(fromProtos, described);
    }

    private static (string Path, MethodKind Kind, Type Request, Type Response) Describe<TRequest, TResponse>(RpcMethod<TRequest, TResponse> method)
        where TRequest : class, Google.Protobuf.IMessage<TRequest>
        where TResponse : class, Google.Protobuf.IMessage<TResponse> =>
        (method.Path, method.Kind, typeof(TRequest), typeof(TResponse));

    private static MethodKind KindOf(MethodDescriptor method) => (method.IsClientStreaming, method.IsServerStreaming) switch
    {
        (false, false) => MethodKind.Unary,
        (false, true) => MethodKind.ServerStreaming,
        (true, false) => MethodKind.ClientStreaming,
        (true, true) => MethodKind.DuplexStreaming,
    };

    private sealed class FakeTasks : TasksServiceBase
    {
        private readonly Guid _instance = Guid.NewGuid();

        public override Task<TaskInfo> GetAsync(GetTaskRequest request, RpcCallContext context) =>
            Task.FromResult(new TaskInfo { Id = request.TaskId, Reason = context.GetBearerToken() ?? "", Unit = _instance.ToString() });
    }

    private sealed class FakeRunners : RunnersServiceBase
    {
        public override async Task ConnectAsync(IAsyncStreamReader<RunnerMessage> requestStream, IServerStreamWriter<HostMessage> responseStream, RpcCallContext context)
        {
            await foreach (var message in requestStream.ReadAllAsync(context.CancellationToken))
            {
                await responseStream.WriteAsync(new HostMessage { Registered = new Registered { ForgetTaskIds = { message.Register.Name } } });
            }
        }
    }

    private sealed class FakeNodes : NodesServiceBase
    {
        public override Task<ListNodesResponse> ListAsync(ListNodesRequest request, RpcCallContext context) =>
            Task.FromResult(new ListNodesResponse { Nodes = { new NodeInfo { Name = "node1", Connected = true } } });
    }
}
