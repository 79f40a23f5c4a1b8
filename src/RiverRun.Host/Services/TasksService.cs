using Microsoft.Extensions.Hosting;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>riverrun.v1.Tasks: hands each call to the service that does the work.</summary>
public sealed class TasksService(
    TaskSubmission submission, TaskQueries queries, TaskControl control, OutputWatch watch, WatchLimiter watchLimiter, IHostApplicationLifetime lifetime) : V1.Tasks.TasksBase
{
    public override Task<V1.SubmitResponse> Submit(V1.SubmitRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return submission.SubmitAsync(request, context.CancellationToken);
    }

    public override Task<V1.TaskInfo> Get(V1.GetTaskRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.GetAsync(request, context.CancellationToken);
    }

    public override Task<V1.ListTasksResponse> List(V1.ListTasksRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return queries.ListAsync(request, context.CancellationToken);
    }

    public override async Task WatchOutput(V1.WatchOutputRequest request, IServerStreamWriter<V1.WatchOutputResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        using var lease = watchLimiter.Enter(WatchLimiter.CallerOf(context.Peer));
        // A followed watch can last as long as its task; a stopping Host must not wait for it.
        using var callOrStopping = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
        try
        {
            await watch.RunAsync(request, responseStream, callOrStopping.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested && !context.CancellationToken.IsCancellationRequested)
        {
            throw RpcErrors.Unavailable("the Host is shutting down; watch again from the offsets received so far");
        }
    }

    public override Task<V1.TaskInfo> Kill(V1.KillRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return control.KillAsync(request, context.CancellationToken);
    }

    public override Task<V1.TaskInfo> Pause(V1.PauseRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return control.PauseAsync(request, context.CancellationToken);
    }

    public override Task<V1.TaskInfo> Resume(V1.ResumeRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return control.ResumeAsync(request, context.CancellationToken);
    }
}
