using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
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
/// Output is read from the spool files, never buffered: each chunk is read only when the outbox
/// has room for it, so a task printing 200 MB costs at most a few chunks of memory.
/// </remarks>
internal sealed class TaskOutputSender
{
    private readonly TaskRun _run;
    private readonly Outbox _outbox;
    private long _stdoutOffset;
    private long _stderrOffset;

    public TaskOutputSender(TaskRun run, Outbox outbox, long stdoutOffset, long stderrOffset)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentOutOfRangeException.ThrowIfNegative(stdoutOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(stderrOffset);
        _run = run;
        _outbox = outbox;
        _stdoutOffset = stdoutOffset;
        _stderrOffset = stderrOffset;
    }

    /// <summary>Runs until TaskExited was handed to the outbox, the task is forgotten, or the connection ends.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[OutputFileReader.MaxChunkSize];
        var startedSent = false;
        while (!_run.IsForgotten)
        {
            // Taken before the state is read, so a change after the reads still wakes the wait below.
            var change = _run.NextChange;
            // Read before the files: once the task has a result its scope is stopped, so the
            // files are final, and reading them to the end afterwards gets every byte.
            var result = _run.Result;
            if (!startedSent && _run.StartedAt is { } startedAt)
            {
                await _outbox.WriteAsync(Started(startedAt), cancellationToken).ConfigureAwait(false);
                startedSent = true;
            }

            var sent = await SendChunkAsync(OutputStream.Stdout, buffer, cancellationToken).ConfigureAwait(false);
            sent |= await SendChunkAsync(OutputStream.Stderr, buffer, cancellationToken).ConfigureAwait(false);
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

    private async Task<bool> SendChunkAsync(OutputStream stream, byte[] buffer, CancellationToken cancellationToken)
    {
        var spool = _run.Directory.Spool;
        var path = stream == OutputStream.Stdout ? spool.StandardOutputPath : spool.StandardErrorPath;
        var offset = stream == OutputStream.Stdout ? _stdoutOffset : _stderrOffset;
        var length = OutputFileReader.Read(path, offset, buffer);
        if (length == 0)
        {
            return false;
        }

        var chunk = new OutputChunk
        {
            TaskId = _run.TaskId,
            Stream = stream,
            Offset = offset,
            Data = ByteString.CopyFrom(buffer, 0, length),
        };
        await _outbox.WriteAsync(new RunnerMessage { Output = chunk }, cancellationToken).ConfigureAwait(false);
        if (stream == OutputStream.Stdout)
        {
            _stdoutOffset += length;
        }
        else
        {
            _stderrOffset += length;
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
