using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// The server side of <c>service Tasks</c>: override the methods the server implements; the rest answer
/// Unimplemented. Serve it with <see cref="RpcServiceEndpointExtensions.MapTasksService{TService}"/>.
/// </summary>
public abstract class TasksServiceBase
{
    /// <summary>Creates one task per target.</summary>
    public virtual Task<SubmitResponse> SubmitAsync(SubmitRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.Submit.Path);

    /// <summary>One task.</summary>
    public virtual Task<TaskInfo> GetAsync(GetTaskRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.Get.Path);

    /// <summary>Tasks, newest first, filtered and paged.</summary>
    public virtual Task<ListTasksResponse> ListAsync(ListTasksRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.List.Path);

    /// <summary>Replays a task's output, then (with follow) streams it live.</summary>
    public virtual Task WatchOutputAsync(WatchOutputRequest request, IServerStreamWriter<WatchOutputResponse> responseStream, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.WatchOutput.Path);

    /// <summary>Stops a task.</summary>
    public virtual Task<TaskInfo> KillAsync(KillRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.Kill.Path);

    /// <summary>Freezes a running task.</summary>
    public virtual Task<TaskInfo> PauseAsync(PauseRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.Pause.Path);

    /// <summary>Thaws a paused task.</summary>
    public virtual Task<TaskInfo> ResumeAsync(ResumeRequest request, RpcCallContext context) =>
        throw Unimplemented(TasksMethods.Resume.Path);

    private static RpcException Unimplemented(string path) => RpcException.Unimplemented($"{path} is not implemented by this server.");
}
