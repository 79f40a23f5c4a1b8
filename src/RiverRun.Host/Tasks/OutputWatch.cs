using System.Buffers;
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
/// message and comes after every byte the Runner announced at exit.
/// A follower that keeps up is sent the chunks as they are stored, through <see cref="OutputFeed"/>,
/// without reading them back; what it missed or what came before it, it reads from disk in chunks
/// of <see cref="ChunkSize"/> into one buffer of its own, which each message wraps without a copy.
/// Either way offsets decide what is sent.
/// </remarks>
public sealed class OutputWatch(
    TaskQueries queries,
    ITaskStore store,
    OutputLogStore output,
    TaskChangeNotifier notifier,
    OutputFeed feed,
    TaskInfoMapper mapper)
{
    /// <summary>The most bytes one output message read back from disk carries.</summary>
    public const int ChunkSize = OutputFlow.ChunkBytes;

    // What a watch of a final task waits on instead of a state change: nothing changes any more.
    private static readonly Task Never = new TaskCompletionSource().Task;

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

        // Subscribed before anything is read: a chunk stored from now on is either in the file
        // read below or in the subscription (or both: offsets skip the repeat).
        using var live = request.Follow ? feed.Subscribe(task.Id) : null;
        var changed = notifier.NextChange(task.Id);
        task = await store.GetAsync(task.Id, cancellationToken) ?? task;
        changed = UnlessFinal(task, changed);
        await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            var sentState = task.State;
            while (true)
            {
                await SendStoredAsync(task.Id, cursors, buffer, responses, cancellationToken);
                if (live is null)
                {
                    return;
                }

                if (task.State.IsFinal() && OutputCompletion.IsComplete(task, output) && AllSent(task, cursors))
                {
                    // Fresh lengths: the message says what is stored, everything of it already sent.
                    await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
                    return;
                }

                if (!await FollowLiveAsync(live, cursors, changed, responses, cancellationToken))
                {
                    // It fell behind the feed: what it missed is in the file.
                    continue;
                }

                if (!changed.IsCompleted)
                {
                    continue;
                }

                // Only state changes wake this (output comes through the feed): the store is read
                // once per change, not once per chunk.
                changed = notifier.NextChange(task.Id);
                task = await store.GetAsync(task.Id, cancellationToken) ?? task;
                changed = UnlessFinal(task, changed);

                if (task.State != sentState && !task.State.IsFinal())
                {
                    sentState = task.State;
                    await responses.WriteAsync(new V1.WatchOutputResponse { Task = mapper.ToInfo(task) }, cancellationToken);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    // A final task changes no more: its watch waits for output only, and leaves no entry behind
    // in the notifier (taken before the read that found the task final).
    private Task UnlessFinal(TaskRecord task, Task changed)
    {
        if (!task.State.IsFinal())
        {
            return changed;
        }

        notifier.Forget(task.Id);
        return Never;
    }

    // Sends the feed's chunks while each continues exactly where its stream's cursor is, until the
    // task's state changes or new output is waiting to be read from the file. Returns false when a
    // chunk starts past its cursor (chunks were dropped for this watcher): the file has them.
    private static async Task<bool> FollowLiveAsync(
        OutputSubscription live, List<StreamCursor> cursors, Task changed, IServerStreamWriter<V1.WatchOutputResponse> responses, CancellationToken cancellationToken)
    {
        while (true)
        {
            while (live.TryRead(out var chunk))
            {
                if (cursors.Find(c => c.Stream == chunk.Stream) is not { } cursor)
                {
                    continue;
                }

                var end = chunk.Offset + chunk.Data.Length;
                if (chunk.Offset > cursor.Offset)
                {
                    return false;
                }

                if (end <= cursor.Offset)
                {
                    continue;
                }

                // The chunk as it arrived from the Runner, sliced without a copy when part of it was sent already.
                var data = chunk.Offset == cursor.Offset ? chunk.Data : UnsafeByteOperations.UnsafeWrap(chunk.Data.Memory[(int)(cursor.Offset - chunk.Offset)..]);
                var forward = new V1.OutputChunk { TaskId = chunk.TaskId, Stream = chunk.Stream, Offset = cursor.Offset, Data = data };
                await responses.WriteAsync(new V1.WatchOutputResponse { Output = forward }, cancellationToken);
                cursor.Offset = end;
            }

            if (live.TakeMissed())
            {
                return false;
            }

            if (changed.IsCompleted)
            {
                return true;
            }

            var waiting = live.WaitToReadAsync(cancellationToken).AsTask();
            await Task.WhenAny(waiting, changed).WaitAsync(cancellationToken);
            if (!waiting.IsCompleted)
            {
                return true;
            }

            if (!await waiting)
            {
                return true;
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
                    // No copy: the stream serializes the message before WriteAsync completes, and
                    // the buffer is not read into again before then.
                    Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, read)),
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
