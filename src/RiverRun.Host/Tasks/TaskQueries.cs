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

    /// <summary>
    /// The most bytes of tasks one page holds: half the largest response (16 MiB), so a page and
    /// its framing always fit, and always room for one task of the largest spec (1 MiB).
    /// </summary>
    public const int MaxPageBytes = MessageLimits.MaxResponseBytes / 2;

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
        var query = new TaskQuery(states, request.Node.Length == 0 ? null : request.Node, size, after);
        var page = await store.ListAsync(query, cancellationToken);
        if (FittingCount(page.Tasks) is var fitting && fitting < page.Tasks.Count)
        {
            // A page of large specs would not fit the response (a client would fail to read it):
            // ask again for only those that fit, so the next page starts right after them.
            page = await store.ListAsync(query with { PageSize = fitting }, cancellationToken);
        }

        var response = new V1.ListTasksResponse
        {
            NextPageToken = page.NextCursor?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
        };
        response.Tasks.AddRange(page.Tasks.Select(mapper.ToInfo));
        return response;
    }

    // How many of the first tasks fit MaxPageBytes; at least one, which always fits (TaskLimits).
    private static int FittingCount(IReadOnlyList<TaskRecord> tasks)
    {
        long bytes = 0;
        for (var i = 0; i < tasks.Count; i++)
        {
            // The spec is nearly all of a task's size; a few hundred bytes more cover its other fields.
            bytes += tasks[i].Spec.CalculateSize() + 512;
            if (bytes > MaxPageBytes)
            {
                return Math.Max(i, 1);
            }
        }

        return tasks.Count;
    }
}
