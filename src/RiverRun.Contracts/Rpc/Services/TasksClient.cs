using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>Calls <c>riverrun.v1.Tasks</c> over a channel. Cheap to create; share the channel, not the client.</summary>
public sealed class TasksClient
{
    private readonly RpcChannel _channel;

    /// <summary>A client using <paramref name="channel"/>.</summary>
    public TasksClient(RpcChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        _channel = channel;
    }

    /// <summary>Creates one task per target.</summary>
    public Task<SubmitResponse> SubmitAsync(SubmitRequest request, CancellationToken cancellationToken = default) =>
        SubmitAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Creates one task per target.</summary>
    public Task<SubmitResponse> SubmitAsync(SubmitRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.Submit, request, options);

    /// <summary>One task.</summary>
    public Task<TaskInfo> GetAsync(GetTaskRequest request, CancellationToken cancellationToken = default) =>
        GetAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>One task.</summary>
    public Task<TaskInfo> GetAsync(GetTaskRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.Get, request, options);

    /// <summary>Tasks, newest first, filtered and paged.</summary>
    public Task<ListTasksResponse> ListAsync(ListTasksRequest request, CancellationToken cancellationToken = default) =>
        ListAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Tasks, newest first, filtered and paged.</summary>
    public Task<ListTasksResponse> ListAsync(ListTasksRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.List, request, options);

    /// <summary>A task's output and state changes, live with follow; the call runs while it is enumerated.</summary>
    public IAsyncEnumerable<WatchOutputResponse> WatchOutput(WatchOutputRequest request, CancellationToken cancellationToken = default) =>
        WatchOutput(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>A task's output and state changes, live with follow; the call runs while it is enumerated.</summary>
    public IAsyncEnumerable<WatchOutputResponse> WatchOutput(WatchOutputRequest request, RpcCallOptions options) =>
        _channel.ServerStreamingCall(TasksMethods.WatchOutput, request, options);

    /// <summary>Stops a task.</summary>
    public Task<TaskInfo> KillAsync(KillRequest request, CancellationToken cancellationToken = default) =>
        KillAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Stops a task.</summary>
    public Task<TaskInfo> KillAsync(KillRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.Kill, request, options);

    /// <summary>Freezes a running task.</summary>
    public Task<TaskInfo> PauseAsync(PauseRequest request, CancellationToken cancellationToken = default) =>
        PauseAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Freezes a running task.</summary>
    public Task<TaskInfo> PauseAsync(PauseRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.Pause, request, options);

    /// <summary>Thaws a paused task.</summary>
    public Task<TaskInfo> ResumeAsync(ResumeRequest request, CancellationToken cancellationToken = default) =>
        ResumeAsync(request, new RpcCallOptions { CancellationToken = cancellationToken });

    /// <summary>Thaws a paused task.</summary>
    public Task<TaskInfo> ResumeAsync(ResumeRequest request, RpcCallOptions options) =>
        _channel.UnaryCallAsync(TasksMethods.Resume, request, options);
}
