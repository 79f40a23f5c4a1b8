using System.Globalization;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Contracts.V1;
using RiverRun.Core;
using WireTaskState = RiverRun.Contracts.V1.TaskState;

namespace RiverRun.Cli.Streaming;

/// <summary>
/// Copies a task's output to our standard output and error as raw bytes, chunk by chunk (nothing
/// is held in memory), and follows it until the task ends. It counts the bytes written per
/// stream; when the watch stream breaks (the Host restarted, the network dropped) it reconnects
/// with backoff and asks to resume at exactly those offsets, trimming anything the Host sends
/// again, so no byte is written twice and none is lost.
/// </summary>
public sealed class OutputFollower
{
    private readonly HostConnection _host;
    private readonly CliContext _context;
    private readonly string _taskId;
    private readonly bool _follow;
    private readonly OutputStream[] _streams;
    private bool _announceTask;

    /// <param name="host">The Host.</param>
    /// <param name="context">Where the bytes go.</param>
    /// <param name="taskId">The task to watch.</param>
    /// <param name="follow">Keep following until the task ends (else: replay what is stored and stop).</param>
    /// <param name="streams">The streams to copy; empty for both.</param>
    public OutputFollower(HostConnection host, CliContext context, string taskId, bool follow, IEnumerable<OutputStream>? streams = null)
    {
        _host = host;
        _context = context;
        _taskId = taskId;
        _follow = follow;
        _streams = [.. streams ?? []];
    }

    /// <summary>Bytes of the task's stdout written so far (its next offset).</summary>
    public long StdoutWritten { get; private set; }

    /// <summary>Bytes of the task's stderr written so far (its next offset).</summary>
    public long StderrWritten { get; private set; }

    /// <summary>The task as last seen; null before the first event.</summary>
    public TaskInfo? LastTask { get; private set; }

    /// <summary>Called with the task whenever the Host sends it (first, and on every state change).</summary>
    public Action<TaskInfo>? TaskChanged { get; set; }

    /// <summary>Called before any output is written (to clear a progress line first).</summary>
    public Action? BeforeOutput { get; set; }

    /// <summary>
    /// Whether a failure of the very first call is retried too: true when the Host was just
    /// reached (the task was submitted a moment ago), false for <c>logs</c> (unreachable = fail).
    /// </summary>
    public bool RetryFirstCall { get; init; }

    /// <summary>
    /// Copies output until the task has ended (with follow) or the stored output was replayed.
    /// Returns the task as last seen.
    /// </summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled (Ctrl-C).</exception>
    /// <exception cref="CliException">The Host refused the watch, or could not be reached again in time.</exception>
    public async Task<TaskInfo?> RunAsync(CancellationToken cancellationToken)
    {
        var connected = RetryFirstCall;
        var attempt = 0;
        long? brokenSince = null;
        while (true)
        {
            var request = new WatchOutputRequest
            {
                TaskId = _taskId,
                StdoutOffset = StdoutWritten,
                StderrOffset = StderrWritten,
                Follow = _follow,
            };
            request.Streams.Add(_streams);
            string breakReason;
            var receivedAny = false;
            AsyncServerStreamingCall<WatchOutputResponse>? call = null;
            try
            {
                using var watch = call = _host.Tasks.WatchOutput(request, cancellationToken: cancellationToken);
                await foreach (var response in watch.ResponseStream.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                {
                    if (!receivedAny)
                    {
                        receivedAny = true;
                        connected = true;
                        if (brokenSince is not null)
                        {
                            // The task's state may have changed meanwhile: report it afresh.
                            _announceTask = true;
                            _context.Error.WriteLine($"riverrun: reconnected to the Host; resuming the output of task {_taskId}");
                            brokenSince = null;
                            attempt = 0;
                        }
                    }

                    Handle(response);
                }

                if (!_follow || LastTask is { } last && IsFinal(last.State))
                {
                    return LastTask;
                }

                breakReason = "the Host ended the stream before the task ended";
            }
            catch (RpcException ex) when (connected && IsTransient(ex) && !cancellationToken.IsCancellationRequested)
            {
                breakReason = ex.Status.Detail.Length > 0 ? ex.Status.Detail : ex.StatusCode.ToString();
            }
            catch (RpcException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw _host.Describe(ex, $"watching task {_taskId}");
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && FailureOf(call) is { } failure)
            {
                // grpc-dotnet reports a streaming call that failed before its first message (a
                // refused certificate, a connection refused) as a cancellation, not as the failure;
                // the call's status holds the failure itself.
                if (!connected || !IsTransient(failure))
                {
                    throw _host.Describe(failure, $"watching task {_taskId}");
                }

                breakReason = failure.Status.Detail.Length > 0 ? failure.Status.Detail : failure.StatusCode.ToString();
            }
            catch (OperationCanceledException) when (connected && !cancellationToken.IsCancellationRequested)
            {
                // Not our cancellation: the Host reset the stream (it is stopping or restarting).
                breakReason = "the Host cancelled the stream";
            }
            catch (RpcException ex)
            {
                // Whatever the call died of, it was our cancellation (Ctrl-C) that ended it.
                throw new OperationCanceledException(ex.Message, ex, cancellationToken);
            }

            var now = _context.Time.GetTimestamp();
            if (brokenSince is null)
            {
                brokenSince = now;
                BeforeOutput?.Invoke();
                _context.Error.WriteLine(
                    $"riverrun: lost the output stream from the Host at {_host.Address} ({breakReason}); "
                    + $"reconnecting and resuming at stdout byte {StdoutWritten.ToString(CultureInfo.InvariantCulture)}, "
                    + $"stderr byte {StderrWritten.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (_context.Time.GetElapsedTime(brokenSince.Value, now) > _context.Reconnect.GiveUpAfter)
            {
                throw new CliException(
                    ExitCodes.Unavailable,
                    $"gave up reconnecting to the Host at {_host.Address} ({breakReason}); the task may still be running: "
                    + $"riverrun logs -f {_taskId}");
            }

            await Task.Delay(_context.Reconnect.DelayBefore(attempt++), _context.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    // The failure a finished call ended with; null while it runs or when it ended well or was cancelled.
    private static RpcException? FailureOf(AsyncServerStreamingCall<WatchOutputResponse>? call)
    {
        try
        {
            var status = call?.GetStatus();
            return status is { StatusCode: not (StatusCode.OK or StatusCode.Cancelled) } failed ? new RpcException(failed) : null;
        }
        catch (InvalidOperationException)
        {
            // Still running: no status yet.
            return null;
        }
    }

    private static bool IsFinal(WireTaskState state) =>
        state != WireTaskState.Unspecified && ((RiverRun.Core.TaskState)(int)state).IsFinal();

    // A broken connection or stream (Unavailable, or a transport failure surfacing as another code)
    // is worth a retry; a status the Host chose on purpose (NotFound, PermissionDenied, ...) is not.
    private static bool IsTransient(RpcException exception) =>
        exception.StatusCode == StatusCode.Unavailable
        || (HostConnection.IsTransportFailure(exception)
            && exception.StatusCode is StatusCode.Internal or StatusCode.Unknown or StatusCode.Cancelled or StatusCode.Aborted);

    private void Handle(WatchOutputResponse response)
    {
        switch (response.EventCase)
        {
            case WatchOutputResponse.EventOneofCase.Task:
                var previous = LastTask;
                LastTask = response.Task;
                if (previous is null || previous.State != response.Task.State || _announceTask)
                {
                    _announceTask = false;
                    TaskChanged?.Invoke(response.Task);
                }

                break;
            case WatchOutputResponse.EventOneofCase.Output:
                Write(response.Output);
                break;
            case WatchOutputResponse.EventOneofCase.None:
            default:
                break;
        }
    }

    private void Write(OutputChunk chunk)
    {
        var isStdout = chunk.Stream == OutputStream.Stdout;
        if (!isStdout && chunk.Stream != OutputStream.Stderr)
        {
            return;
        }

        var written = isStdout ? StdoutWritten : StderrWritten;
        var end = chunk.Offset + chunk.Data.Length;
        if (end <= written)
        {
            // Sent again after a reconnect: already written.
            return;
        }

        var data = chunk.Data.Memory;
        if (chunk.Offset < written)
        {
            data = data[(int)(written - chunk.Offset)..];
        }
        else if (chunk.Offset > written)
        {
            BeforeOutput?.Invoke();
            _context.Error.WriteLine(
                $"riverrun: the Host has no {(isStdout ? "stdout" : "stderr")} bytes {written.ToString(CultureInfo.InvariantCulture)} to "
                + $"{chunk.Offset.ToString(CultureInfo.InvariantCulture)} of task {_taskId}; they are missing from this output");
        }

        BeforeOutput?.Invoke();
        var target = isStdout ? _context.StandardOutput : _context.StandardError;
        try
        {
            // Written synchronously, on purpose: the console stream has no asynchronous write of
            // its own, so WriteAsync queued every chunk to another thread-pool thread (11 % of
            // the client's CPU for a gigabyte). Blocking here while the reader of our stdout is
            // slow is the back-pressure we want; and a chunk is then written whole, never cut
            // by a cancellation, so the offsets stay true.
            target.Write(data.Span);
            target.Flush();
        }
        catch (IOException)
        {
            // The reader went away (| head): stop quietly, as SIGPIPE would.
            throw new CliException(ExitCodes.OutputClosed, string.Empty);
        }

        if (isStdout)
        {
            StdoutWritten = end;
        }
        else
        {
            StderrWritten = end;
        }
    }
}
