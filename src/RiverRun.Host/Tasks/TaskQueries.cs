using System.Globalization;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>Reads tasks for clients: one by id, or a filtered, paged listing newest first.</summary>
public sealed class TaskQueries(ITaskStore store, TaskInfoMapper mapper)
{
    /// <summary>Tasks per page when the request names no size.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>The most tasks one page holds.</summary>
    public const int MaxPageSize = 1000;

    /// <summary>The task; NotFound (or InvalidArgument for a malformed id) otherwise.</summary>
    public async Task<TaskRecord> GetRecordAsync(string taskId, CancellationToken cancellationToken)
    {
        if (!TaskId.TryParse(taskId, out var id, out var error))
        {
            throw RpcErrors.InvalidArgument($"task_id: {error}");
        }

        return await store.GetAsync(id, cancellationToken)
            ?? throw RpcErrors.NotFound($"no task with id '{id}'");
    }

    /// <summary>One task as clients see it.</summary>
    public async Task<V1.TaskInfo> GetAsync(V1.GetTaskRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return mapper.ToInfo(await GetRecordAsync(request.TaskId, cancellationToken));
    }

    /// <summary>One page of tasks.</summary>
    public async Task<V1.ListTasksResponse> ListAsync(V1.ListTasksRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.PageSize < 0)
        {
            throw RpcErrors.InvalidArgument($"page_size: {request.PageSize} is negative; use 0 for the default of {DefaultPageSize}");
        }

        var states = new List<TaskState>();
        foreach (var state in request.States)
        {
            if (!Enum.IsDefined((TaskState)(int)state))
            {
                throw RpcErrors.InvalidArgument($"states: {state} is not a task state");
            }

            states.Add((TaskState)(int)state);
        }

        long? after = null;
        if (request.PageToken.Length > 0)
        {
            // The token is the position of the last task of the previous page; anything else is not ours.
            if (!long.TryParse(request.PageToken, NumberStyles.None, CultureInfo.InvariantCulture, out var cursor))
            {
                throw RpcErrors.InvalidArgument("page_token: is not a token this server handed out; pass the next_page_token of the previous page");
            }

            after = cursor;
        }

        var size = request.PageSize == 0 ? DefaultPageSize : Math.Min(request.PageSize, MaxPageSize);
        var page = await store.ListAsync(new TaskQuery(states, request.Node.Length == 0 ? null : request.Node, size, after), cancellationToken);
        var response = new V1.ListTasksResponse
        {
            NextPageToken = page.NextCursor?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        };
        response.Tasks.AddRange(page.Tasks.Select(mapper.ToInfo));
        return response;
    }
}
