using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Rpc;

/// <summary>The methods of <c>service Tasks</c> in protos/riverrun/v1/tasks.proto.</summary>
public static class TasksMethods
{
    /// <summary>The service's full name.</summary>
    public const string ServiceName = "riverrun.v1.Tasks";

    /// <summary>rpc Submit(SubmitRequest) returns (SubmitResponse).</summary>
    public static RpcMethod<SubmitRequest, SubmitResponse> Submit { get; } =
        new(ServiceName, "Submit", MethodKind.Unary, SubmitRequest.Parser, SubmitResponse.Parser);

    /// <summary>rpc Get(GetTaskRequest) returns (TaskInfo).</summary>
    public static RpcMethod<GetTaskRequest, TaskInfo> Get { get; } =
        new(ServiceName, "Get", MethodKind.Unary, GetTaskRequest.Parser, TaskInfo.Parser);

    /// <summary>rpc List(ListTasksRequest) returns (ListTasksResponse).</summary>
    public static RpcMethod<ListTasksRequest, ListTasksResponse> List { get; } =
        new(ServiceName, "List", MethodKind.Unary, ListTasksRequest.Parser, ListTasksResponse.Parser);

    /// <summary>rpc WatchOutput(WatchOutputRequest) returns (stream WatchOutputResponse).</summary>
    public static RpcMethod<WatchOutputRequest, WatchOutputResponse> WatchOutput { get; } =
        new(ServiceName, "WatchOutput", MethodKind.ServerStreaming, WatchOutputRequest.Parser, WatchOutputResponse.Parser);

    /// <summary>rpc Kill(KillRequest) returns (TaskInfo).</summary>
    public static RpcMethod<KillRequest, TaskInfo> Kill { get; } =
        new(ServiceName, "Kill", MethodKind.Unary, KillRequest.Parser, TaskInfo.Parser);

    /// <summary>rpc Pause(PauseRequest) returns (TaskInfo).</summary>
    public static RpcMethod<PauseRequest, TaskInfo> Pause { get; } =
        new(ServiceName, "Pause", MethodKind.Unary, PauseRequest.Parser, TaskInfo.Parser);

    /// <summary>rpc Resume(ResumeRequest) returns (TaskInfo).</summary>
    public static RpcMethod<ResumeRequest, TaskInfo> Resume { get; } =
        new(ServiceName, "Resume", MethodKind.Unary, ResumeRequest.Parser, TaskInfo.Parser);
}
