using System.Collections.Concurrent;
using System.Globalization;
using System.Threading.Channels;
using Grpc.Core;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>
/// The Host's end of one Runner's open stream: sends HostMessages on it and matches CommandAcks to
/// the commands that wait for them. Closing it (the stream ended, or a newer stream of the same
/// Runner replaced it) fails every waiting command.
/// </summary>
/// <remarks>
/// Many parts of the Host write to one Runner's stream at once (the session's output acks, the
/// scheduler's start commands, kills, pauses), but a gRPC stream takes one write at a time. So every
/// message goes through a queue that one writer loop drains in order; each sender still learns
/// whether its own message was written. Dispose the connection (asynchronously) before the call
/// ends, so no write is left running after its stream is gone.
/// </remarks>
public sealed class RunnerConnection : IAsyncDisposable
{
    private readonly IServerStreamWriter<V1.HostMessage> _writer;
    private readonly CancellationTokenSource _closed;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<V1.CommandAck>> _pending = new(StringComparer.Ordinal);
    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writeLoop;
    private long _nextCommand;

    /// <summary>A connection writing to <paramref name="writer"/>, closed when <paramref name="callAborted"/> is.</summary>
    public RunnerConnection(string nodeName, IServerStreamWriter<V1.HostMessage> writer, CancellationToken callAborted)
    {
        ArgumentNullException.ThrowIfNull(writer);
        NodeName = nodeName;
        _writer = writer;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        _closed.Token.Register(OnClosed);
        _writeLoop = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    /// <summary>The Runner's name.</summary>
    public string NodeName { get; }

    /// <summary>Cancelled once the connection is closed.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>
    /// Sends a message that needs no answer (Registered, OutputAck) and returns once it is written.
    /// Throws <see cref="RunnerDisconnectedException"/> when the stream closes first.
    /// </summary>
    public async Task SendAsync(V1.HostMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var write = new PendingWrite(message, cancellationToken);
        if (!_writes.Writer.TryWrite(write))
        {
            throw Disconnected();
        }

        using (cancellationToken.Register(static w => ((PendingWrite)w!).Written.TrySetCanceled(), write))
        {
            await write.Written.Task;
        }
    }

    /// <summary>
    /// Queues a message and returns at once, without waiting for the stream: the returned task
    /// completes once the message is written, or fails with <see cref="RunnerDisconnectedException"/>
    /// (also when the connection is already closed). For callers that hold a lock shared with other
    /// Runners (the scheduling gate): the message takes its place in this stream's order under the
    /// lock, and a Runner whose stream does not drain holds up nobody but itself.
    /// </summary>
    public Task Enqueue(V1.HostMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var write = new PendingWrite(message, CancellationToken.None);
        return _writes.Writer.TryWrite(write) ? write.Written.Task : Task.FromException(Disconnected());
    }

    /// <summary>Queues a command that needs no acknowledgement (StartTask, whose outcome arrives as TaskStarted or TaskExited); see <see cref="Enqueue"/>.</summary>
    public Task EnqueueCommand(V1.HostMessage command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandId = NewCommandId();
        return Enqueue(command);
    }

    /// <summary>
    /// Sends a command and waits for its CommandAck. Throws <see cref="TimeoutException"/> when none
    /// comes within <paramref name="timeout"/>, <see cref="RunnerDisconnectedException"/> when the stream closes first.
    /// </summary>
    public async Task<V1.CommandAck> SendCommandAndWaitAsync(
        V1.HostMessage command, TimeSpan timeout, TimeProvider clock, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        var id = NewCommandId();
        command.CommandId = id;
        var acknowledged = new TaskCompletionSource<V1.CommandAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = acknowledged;
        try
        {
            if (_closed.IsCancellationRequested)
            {
                throw Disconnected();
            }

            await SendAsync(command, cancellationToken);
            return await acknowledged.Task.WaitAsync(timeout, clock, cancellationToken);
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Hands a CommandAck to the command waiting for it; one for an unknown id (nobody waits) is dropped.</summary>
    public void Acknowledge(V1.CommandAck ack)
    {
        ArgumentNullException.ThrowIfNull(ack);
        if (_pending.TryRemove(ack.CommandId, out var waiting))
        {
            waiting.TrySetResult(ack);
        }
    }

    /// <summary>
    /// Takes no more messages and waits (at most <paramref name="timeout"/>) until the queued ones
    /// are written. For a stream that ends normally; <see cref="Close"/> follows either way.
    /// </summary>
    public async Task DrainAsync(TimeSpan timeout)
    {
        _writes.Writer.TryComplete();
        try
        {
            await _writeLoop.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Close, which follows, fails what is left.
        }
    }

    /// <summary>Closes the connection: the session reading it ends, queued writes and waiting commands fail.</summary>
    public void Close()
    {
        try
        {
            _closed.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already disposed means already closed.
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        Close();
        await _writeLoop.ConfigureAwait(false);
        _closed.Dispose();
    }

    // Unique per connection is enough: acks are matched on the stream that carried the command.
    private string NewCommandId() =>
        "c" + Interlocked.Increment(ref _nextCommand).ToString(CultureInfo.InvariantCulture);

    private RunnerDisconnectedException Disconnected(Exception? cause = null) =>
        cause is null
            ? new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected")
            : new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected", cause);

    // The one writer of the stream: messages go out one at a time, in the order they were queued.
    private async Task WriteLoopAsync()
    {
        try
        {
            await foreach (var write in _writes.Reader.ReadAllAsync(_closed.Token).ConfigureAwait(false))
            {
                if (write.Written.Task.IsCompleted || write.Cancellation.IsCancellationRequested)
                {
                    // Its sender gave up before its turn came: sending it now would surprise the Runner.
                    write.Written.TrySetCanceled(write.Cancellation);
                    continue;
                }

                try
                {
                    await _writer.WriteAsync(write.Message, _closed.Token).ConfigureAwait(false);
                    write.Written.TrySetResult();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // A stream that failed one write is broken for good: close the connection.
                    write.Written.TrySetException(Disconnected(ex));
                    Close();
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_closed.IsCancellationRequested)
        {
            // Closed: what is still queued fails below.
        }

        while (_writes.Reader.TryRead(out var left))
        {
            left.Written.TrySetException(Disconnected());
        }
    }

    private void OnClosed()
    {
        _writes.Writer.TryComplete();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetException(new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected before acknowledging"));
            }
        }
    }

    private sealed class PendingWrite(V1.HostMessage message, CancellationToken cancellation)
    {
        public V1.HostMessage Message { get; } = message;

        public CancellationToken Cancellation { get; } = cancellation;

        public TaskCompletionSource Written { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
