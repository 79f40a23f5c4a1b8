using System.Collections.Concurrent;
using System.Globalization;
using RiverRun.Contracts.Rpc;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Runners;

/// <summary>
/// The Host's end of one Runner's open stream: sends HostMessages on it and matches CommandAcks to
/// the commands that wait for them. Closing it (the stream ended, or a newer stream of the same
/// Runner replaced it) fails every waiting command.
/// </summary>
public sealed class RunnerConnection : IDisposable
{
    private readonly IServerStreamWriter<V1.HostMessage> _writer;
    private readonly CancellationTokenSource _closed;
    private readonly ConcurrentDictionary<string, TaskCompletionSource<V1.CommandAck>> _pending = new(StringComparer.Ordinal);
    private long _nextCommand;

    /// <summary>A connection writing to <paramref name="writer"/>, closed when <paramref name="callAborted"/> is.</summary>
    public RunnerConnection(string nodeName, IServerStreamWriter<V1.HostMessage> writer, CancellationToken callAborted)
    {
        ArgumentNullException.ThrowIfNull(writer);
        NodeName = nodeName;
        _writer = writer;
        _closed = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        _closed.Token.Register(FailPending);
    }

    /// <summary>The Runner's name.</summary>
    public string NodeName { get; }

    /// <summary>Cancelled once the connection is closed.</summary>
    public CancellationToken Closed => _closed.Token;

    /// <summary>Sends a message that needs no answer (Registered, OutputAck).</summary>
    public async Task SendAsync(V1.HostMessage message, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closed.Token);
        try
        {
            await _writer.WriteAsync(message, linked.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException && _closed.IsCancellationRequested)
        {
            throw new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected", ex);
        }
    }

    /// <summary>Sends a command without waiting for its acknowledgement (StartTask, whose outcome arrives as TaskStarted or TaskExited).</summary>
    public Task SendCommandAsync(V1.HostMessage command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.CommandId = NewCommandId();
        return SendAsync(command, cancellationToken);
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
                throw new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected");
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

    /// <summary>Closes the connection: the session reading it ends and waiting commands fail.</summary>
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
    public void Dispose()
    {
        Close();
        _closed.Dispose();
    }

    // Unique per connection is enough: acks are matched on the stream that carried the command.
    private string NewCommandId() =>
        "c" + Interlocked.Increment(ref _nextCommand).ToString(CultureInfo.InvariantCulture);

    private void FailPending()
    {
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetException(new RunnerDisconnectedException($"the Runner of node '{NodeName}' disconnected before acknowledging"));
            }
        }
    }
}
