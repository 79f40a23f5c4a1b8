using Google.Protobuf;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Core;
using RiverRun.Host.Output;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tasks;

/// <summary>
/// Serves WatchOutput: the task first, then its stored output from the requested offsets, then
/// (with follow) new output and state changes live until the task is final and all its output
/// was sent, ending with the task in its final state.
/// </summary>
/// <remarks>
/// Order guarantees: chunks of one stream come in offset order without gaps or repeats; a state
/// change is sent before output that was stored after it was seen; the final TaskInfo is the last
/// message and comes after every byte the Runner announced at exit. Output is read from disk in
/// chunks of <see cref="ChunkSize"/>, so a watch holds at most one chunk in memory.
/// </remarks>
public sealed class OutputWatch(
    TaskQueries queries,
    ITaskStore store,
    OutputLogStore output,
    TaskChangeNotifier notifier,
    TaskInfoMapper mapper)
{
    /// <summary>The most bytes one output message carries.</summary>
    public const int ChunkSize = 64 * 1024;

    /// <summary>Streams the watch until it is over or the client leaves.</summary>
    public async Task RunAsync(V1.WatchOutputRequest request, IServerStreamWriter<V1.WatchOutputResponse> responses, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responses);
        if (request.StdoutOffset < 0 || request.StderrOffset < 0)
        {
            throw RpcErrors.InvalidArgument($"{(request.StdoutOffset < 0 ? "stdout_offset" : "stderr_offset")}: must not be negative");
        }

        if (request.Streams.Any(s => s is not (V1.OutputStream.Stdout or V1.OutputStream.Stderr)))
        {
            throw RpcErrors.InvalidArgument("streams: only OUTPUT_STREAM_STDOUT and OUTPUT_STREAM_STDERR can be watched");
        }

        var task = await queries.GetRecordAsync(request.TaskId, cancellationToken);
        var cursors = new List<StreamCursor>();
        if (request.Streams.Count == 0 || request.Streams.Contains(V1.OutputStream.Stdout))
        {
            cursors.Add(new StreamCursor(V1.OutputStream.Stdout, request.StdoutOffset));
        }

        if (request.Streams.Count == 0 || request.Streams.Contains(V1.OutputStream.Stderr))
        {
            cursors.Add(new StreamCursor(V1.OutputStream.Stderr, request.StderrOffset));
        }

        var changed = notifier.NextChange(task.Id);
        task = await store.GetAsync(task.Id, cancellationToken) ?? task;
        await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
        var buffer = new byte[ChunkSize];
        var sentState = task.State;
        while (true)
        {
            await SendStoredAsync(task.Id, cursors, buffer, responses, cancellationToken);
            if (!request.Follow)
            {
                return;
            }

            if (task.State.IsFinal() && OutputCompletion.IsComplete(task, output) && AllSent(task, cursors))
            {
                // Fresh lengths: the message says what is stored, everything of it already sent.
                await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
                return;
            }

            await changed.WaitAsync(cancellationToken);
            changed = notifier.NextChange(task.Id);
            task = await store.GetAsync(task.Id, cancellationToken) ?? task;
            if (task.State != sentState && !task.State.IsFinal())
            {
                sentState = task.State;
                await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
            }
        }
    }

    // With the announced totals known, every watched stream must have reached them; a watch that
    // started past the end (offset beyond the total) has nothing left to wait for either.
    private bool AllSent(TaskRecord task, List<StreamCursor> cursors) =>
        cursors.All(c => c.Offset >= Math.Min(output.GetLength(task.Id, c.Stream), Total(task, c.Stream) ?? long.MaxValue));

    private static long? Total(TaskRecord task, V1.OutputStream stream) =>
        stream == V1.OutputStream.Stdout ? task.StdoutTotal : task.StderrTotal;

    private async Task SendStoredAsync(
        TaskId id, List<StreamCursor> cursors, byte[] buffer, IServerStreamWriter<V1.WatchOutputResponse> responses, CancellationToken cancellationToken)
    {
        foreach (var cursor in cursors)
        {
            while (true)
            {
                var read = output.Read(id, cursor.Stream, cursor.Offset, buffer);
                if (read == 0)
                {
                    break;
                }

                var chunk = new V1.OutputChunk
                {
                    TaskId = id.Value,
                    Stream = cursor.Stream,
                    Offset = cursor.Offset,
                    Data = ByteString.CopyFrom(buffer, 0, read),
                };
                await responses.WriteAsync(new V1.WatchOutputResponse { Output = chunk }, cancellationToken);
                cursor.Offset += read;
            }
        }
    }

    private sealed class StreamCursor(V1.OutputStream stream, long offset)
    {
        public V1.OutputStream Stream { get; } = stream;

        public long Offset { get; set; } = offset;
    }
}
