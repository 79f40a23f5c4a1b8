using System.Buffers;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Runner.Connection;
using RiverRun.Runner.Tasks;

namespace RiverRun.Runner.Output;

/// <summary>
/// Sends one task's story over one connection: TaskStarted once the scope started, then its
/// output as offset-addressed chunks as it is written, then TaskExited once the task has ended
/// and every byte up to the end of both files was sent. A new connection starts a new sender
/// from the offsets the Host acknowledged, so nothing is lost and nothing need be sent twice.
/// </summary>
/// <remarks>
/// Output is read from the spool files, never buffered beyond the window: chunks of
/// <see cref="OutputFlow.ChunkBytes"/> go out while fewer than <see cref="OutputWindow.Size"/> bytes
/// wait for the Host's acknowledgement, so the pipe stays full and a task printing 1 GB costs at
/// most a window of memory. Each chunk is read into a pooled buffer that the message wraps without
/// a copy; the buffer goes back to the pool once the stream has serialized the message.
/// </remarks>
internal sealed class TaskOutputSender
{
    private readonly TaskRun _run;
    private readonly Outbox _outbox;
    private readonly OutputWindow _window;
    private long _stdoutOffset;
    private long _stderrOffset;

    public TaskOutputSender(TaskRun run, Outbox outbox, long stdoutOffset, long stderrOffset, long windowBytes = OutputFlow.WindowBytes)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentOutOfRangeException.ThrowIfNegative(stdoutOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(stderrOffset);
        _run = run;
        _outbox = outbox;
        _stdoutOffset = stdoutOffset;
        _stderrOffset = stderrOffset;
        _window = new OutputWindow(stdoutOffset, stderrOffset, windowBytes);
    }

    public string TaskId => _run.TaskId;

    /// <summary>The Host stored the task's output up to these offsets: room in the window.</summary>
    public void Acknowledge(long stdoutOffset, long stderrOffset) => _window.Acknowledge(stdoutOffset, stderrOffset);

    /// <summary>Runs until TaskExited was handed to the outbox, the task is forgotten, or the connection ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var stdout = new OutputFileReader(_run.Directory.Spool.StandardOutputPath);
        using var stderr = new OutputFileReader(_run.Directory.Spool.StandardErrorPath);
        var startedSent = false;
        while (!_run.IsForgotten)
        {
            // Taken before the state is read, so a change after the reads still wakes the wait below.
            var change = _run.NextChange;
            var acknowledged = _window.NextAcknowledgement;
            // Read before the files: once the task has a result its scope is stopped, so the
            // files are final, and reading them to the end afterwards gets every byte.
            var result = _run.Result;
            if (!startedSent && _run.StartedAt is { } startedAt)
            {
                await _outbox.WriteAsync(Started(startedAt), cancellationToken).ConfigureAwait(false);
                startedSent = true;
            }

            if (!_window.HasRoom)
            {
                // A full window: the next chunk waits for the Host to store what is in flight.
                await acknowledged.WaitAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            var sent = await SendChunkAsync(OutputStream.Stdout, stdout, cancellationToken).ConfigureAwait(false);
            if (_window.HasRoom)
            {
                sent |= await SendChunkAsync(OutputStream.Stderr, stderr, cancellationToken).ConfigureAwait(false);
            }

            if (sent)
            {
                // More may be waiting right now: read again without sleeping.
                continue;
            }

            if (result is not null)
            {
                var exited = result.Clone();
                exited.StdoutLength = _stdoutOffset;
                exited.StderrLength = _stderrOffset;
                await _outbox.WriteAsync(new RunnerMessage { Exited = exited }, cancellationToken).ConfigureAwait(false);
                return;
            }

            // Sleeps until something happens: new bytes in the spool (its watch), a start, an end
            // or a forget. Never a timer: a quiet task costs nothing.
            await change.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<bool> SendChunkAsync(OutputStream stream, OutputFileReader reader, CancellationToken cancellationToken)
    {
        var isStdout = stream == OutputStream.Stdout;
        var offset = isStdout ? _stdoutOffset : _stderrOffset;
        var buffer = ArrayPool<byte>.Shared.Rent(OutputFlow.ChunkBytes);
        var length = reader.Read(offset, buffer.AsSpan(0, OutputFlow.ChunkBytes));
        if (length == 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            return false;
        }

        var chunk = new OutputChunk
        {
            TaskId = _run.TaskId,
            Stream = stream,
            Offset = offset,
            // No copy: nothing writes to the buffer until the stream has serialized this message.
            Data = UnsafeByteOperations.UnsafeWrap(buffer.AsMemory(0, length)),
        };
        var end = offset + length;
        // Counted before it is queued: the Host's ack for it may come back before the queueing returns.
        _window.Sent(isStdout, end);
        await _outbox.WriteAsync(new RunnerMessage { Output = chunk }, () => ArrayPool<byte>.Shared.Return(buffer), cancellationToken).ConfigureAwait(false);
        if (isStdout)
        {
            _stdoutOffset = end;
        }
        else
        {
            _stderrOffset = end;
        }

        return true;
    }

    private RunnerMessage Started(DateTimeOffset startedAt) => new()
    {
        Started = new TaskStarted
        {
            TaskId = _run.TaskId,
            Unit = _run.Unit,
            StartedAt = Timestamp.FromDateTimeOffset(startedAt),
        },
    };
}
