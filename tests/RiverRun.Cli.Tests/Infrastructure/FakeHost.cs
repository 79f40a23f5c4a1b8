using System.Collections.Concurrent;
using System.Net;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests.Infrastructure;

/// <summary>
/// A Host for the client to talk to: real Kestrel on 127.0.0.1 (random port, HTTP/2 without TLS)
/// serving Tasks and Nodes with behaviour each test scripts, and a record of every call.
/// </summary>
internal sealed class FakeHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeHost(WebApplication app, string address, FakeTasks tasks, FakeNodes nodes)
    {
        _app = app;
        Address = address;
        Tasks = tasks;
        Nodes = nodes;
    }

    /// <summary>e.g. http://127.0.0.1:41234</summary>
    public string Address { get; }

    public int Port => new Uri(Address).Port;

    public FakeTasks Tasks { get; }

    public FakeNodes Nodes { get; }

    /// <summary>Calls of any method of either service.</summary>
    public int CallCount => Tasks.CallCount + Nodes.CallCount;

    /// <summary>Starts a Host on <paramref name="port"/> (0: any free port), with fresh services unless given.</summary>
    public static async Task<FakeHost> StartAsync(int port = 0, FakeTasks? tasks = null)
    {
        tasks ??= new FakeTasks();
        var nodes = new FakeNodes();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(2));
        builder.Services.AddSingleton(tasks);
        builder.Services.AddSingleton(nodes);
        builder.Services.AddGrpc();
        var app = builder.Build();
        app.MapGrpcService<FakeTasks>();
        app.MapGrpcService<FakeNodes>();
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        return new FakeHost(app, address.TrimEnd('/'), tasks, nodes);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>The Tasks service of <see cref="FakeHost"/>: records requests, answers as the test says.</summary>
internal sealed class FakeTasks : Tasks.TasksBase
{
    private readonly TaskCompletionSource _firstWatch = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _callCount;

    public int CallCount => Volatile.Read(ref _callCount);

    public ConcurrentQueue<SubmitRequest> Submits { get; } = new();

    public ConcurrentQueue<WatchOutputRequest> Watches { get; } = new();

    /// <summary>Completes when the first WatchOutput call arrives.</summary>
    public Task FirstWatch => _firstWatch.Task;

    public ConcurrentQueue<KillRequest> Kills { get; } = new();

    public ConcurrentQueue<ListTasksRequest> Lists { get; } = new();

    /// <summary>Tasks by id, for Get, Kill, Pause and Resume (NotFound for others).</summary>
    public ConcurrentDictionary<string, TaskInfo> Known { get; } = new();

    /// <summary>What Submit answers; by default one QUEUED task per target (or one without targets), ids t00000000001, ...</summary>
    public Func<SubmitRequest, SubmitResponse>? OnSubmit { get; set; }

    /// <summary>What WatchOutput does; by default it plays <see cref="Scripts"/>.</summary>
    public Func<WatchOutputRequest, IServerStreamWriter<WatchOutputResponse>, ServerCallContext, Task>? OnWatch { get; set; }

    /// <summary>The output scripts WatchOutput plays by default, by task id.</summary>
    public ConcurrentDictionary<string, TaskScript> Scripts { get; } = new();

    /// <summary>What List answers (paged by the test's own rules).</summary>
    public Func<ListTasksRequest, ListTasksResponse>? OnList { get; set; }

    /// <summary>What Kill answers; by default the known task, KILLED.</summary>
    public Func<KillRequest, TaskInfo>? OnKill { get; set; }

    public static string Id(int number) => $"t{number:00000000000}";

    public override Task<SubmitResponse> Submit(SubmitRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        Submits.Enqueue(request);
        if (OnSubmit is { } handler)
        {
            return Task.FromResult(handler(request));
        }

        var response = new SubmitResponse();
        var count = Math.Max(1, request.Targets.Count);
        for (var i = 0; i < count; i++)
        {
            response.Tasks.Add(new TaskInfo { Id = Id(Submits.Count * 100 + i), Spec = request.Spec, State = TaskState.Queued });
        }

        return Task.FromResult(response);
    }

    public override Task<TaskInfo> Get(GetTaskRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        return Task.FromResult(Find(request.TaskId));
    }

    public override Task<ListTasksResponse> List(ListTasksRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        Lists.Enqueue(request);
        return Task.FromResult(OnList?.Invoke(request) ?? new ListTasksResponse());
    }

    public override async Task WatchOutput(WatchOutputRequest request, IServerStreamWriter<WatchOutputResponse> responseStream, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        Watches.Enqueue(request);
        _firstWatch.TrySetResult();
        if (OnWatch is { } handler)
        {
            await handler(request, responseStream, context);
            return;
        }

        if (!Scripts.TryGetValue(request.TaskId, out var script))
        {
            throw RpcErrors.NotFound($"task {request.TaskId} does not exist");
        }

        await script.PlayAsync(request, responseStream, context.CancellationToken);
    }

    public override Task<TaskInfo> Kill(KillRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        Kills.Enqueue(request);
        if (OnKill is { } handler)
        {
            return Task.FromResult(handler(request));
        }

        var task = Find(request.TaskId).Clone();
        task.State = TaskState.Killed;
        return Task.FromResult(task);
    }

    public override Task<TaskInfo> Pause(PauseRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        var task = Find(request.TaskId).Clone();
        if (task.State != TaskState.Running)
        {
            throw RpcErrors.FailedPrecondition($"task {task.Id} is not RUNNING, so it cannot be paused");
        }

        task.State = TaskState.Paused;
        return Task.FromResult(task);
    }

    public override Task<TaskInfo> Resume(ResumeRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        var task = Find(request.TaskId).Clone();
        task.State = TaskState.Running;
        return Task.FromResult(task);
    }

    private TaskInfo Find(string id) =>
        Known.TryGetValue(id, out var task) ? task : throw RpcErrors.NotFound($"task {id} does not exist");
}

/// <summary>The Nodes service of <see cref="FakeHost"/>.</summary>
internal sealed class FakeNodes : Nodes.NodesBase
{
    private int _callCount;

    public int CallCount => Volatile.Read(ref _callCount);

    public List<NodeInfo> Nodes { get; } = [];

    public override Task<ListNodesResponse> List(ListNodesRequest request, ServerCallContext context)
    {
        Interlocked.Increment(ref _callCount);
        var response = new ListNodesResponse();
        response.Nodes.Add(Nodes);
        return Task.FromResult(response);
    }
}

/// <summary>
/// A task's whole output and end, played by WatchOutput as the Host would: the task first, its
/// output from the requested offsets in chunks (stdout and stderr interleaved), then the task in
/// its final state.
/// </summary>
internal sealed class TaskScript
{
    public required TaskInfo Final { get; init; }

    public byte[] Stdout { get; init; } = [];

    public byte[] Stderr { get; init; } = [];

    public int ChunkSize { get; init; } = 7;

    /// <summary>Awaited after the first event and before any output: a task that waits in the queue.</summary>
    public Func<IServerStreamWriter<WatchOutputResponse>, Task>? BeforeOutput { get; init; }

    public static TaskInfo Ended(string id, TaskState state, int? exitCode = null, int? signal = null, string reason = "")
    {
        var task = new TaskInfo { Id = id, State = state, Node = "node1", Reason = reason, CreatedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) };
        if (exitCode is not null || signal is not null)
        {
            task.Exit = new ExitStatus();
            if (exitCode is { } code)
            {
                task.Exit.ExitCode = code;
            }

            if (signal is { } number)
            {
                task.Exit.Signal = number;
            }
        }

        return task;
    }

    public async Task PlayAsync(WatchOutputRequest request, IServerStreamWriter<WatchOutputResponse> writer, CancellationToken cancellationToken)
    {
        var running = Final.Clone();
        running.State = BeforeOutput is null ? TaskState.Running : TaskState.Queued;
        running.Exit = null;
        await writer.WriteAsync(new WatchOutputResponse { Task = running }, cancellationToken);
        if (BeforeOutput is not null)
        {
            await BeforeOutput(writer);
        }

        var wantStdout = request.Streams.Count == 0 || request.Streams.Contains(OutputStream.Stdout);
        var wantStderr = request.Streams.Count == 0 || request.Streams.Contains(OutputStream.Stderr);
        long stdout = request.StdoutOffset;
        long stderr = request.StderrOffset;
        while ((wantStdout && stdout < Stdout.Length) || (wantStderr && stderr < Stderr.Length))
        {
            if (wantStdout && stdout < Stdout.Length)
            {
                await writer.WriteAsync(Chunk(OutputStream.Stdout, Stdout, stdout), cancellationToken);
                stdout = Math.Min(Stdout.Length, stdout + ChunkSize);
            }

            if (wantStderr && stderr < Stderr.Length)
            {
                await writer.WriteAsync(Chunk(OutputStream.Stderr, Stderr, stderr), cancellationToken);
                stderr = Math.Min(Stderr.Length, stderr + ChunkSize);
            }
        }

        if (request.Follow)
        {
            await writer.WriteAsync(new WatchOutputResponse { Task = Final }, cancellationToken);
        }
    }

    private WatchOutputResponse Chunk(OutputStream stream, byte[] data, long offset)
    {
        var length = (int)Math.Min(ChunkSize, data.Length - offset);
        return new WatchOutputResponse
        {
            Output = new OutputChunk
            {
                TaskId = Final.Id,
                Stream = stream,
                Offset = offset,
                Data = ByteString.CopyFrom(data, (int)offset, length),
            },
        };
    }
}
