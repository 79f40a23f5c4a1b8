using Grpc.Core;

namespace RiverRun.Host.Tests;

/// <summary>
/// Stands in for a server stream: keeps what is written. A stalled one never finishes a write,
/// like the stream of a Runner that stopped reading (HTTP/2 flow control holds the write).
/// </summary>
internal sealed class CapturingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly List<T> _messages = [];
    private readonly TaskCompletionSource _stall = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public CapturingStreamWriter(bool stalled = false)
    {
        if (!stalled)
        {
            _stall.SetResult();
        }
    }

    public IReadOnlyList<T> Messages
    {
        get
        {
            lock (_messages)
            {
                return [.. _messages];
            }
        }
    }

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public async Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        await _stall.Task.WaitAsync(cancellationToken);
        TaskCompletionSource written;
        lock (_messages)
        {
            _messages.Add(message);
            written = _written;
            _written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        written.SetResult();
    }

    /// <summary>Waits (event-driven, no polling) until at least <paramref name="count"/> messages were written.</summary>
    public async Task<IReadOnlyList<T>> WaitForMessagesAsync(int count, CancellationToken cancellationToken = default)
    {
        // A guard against a hang, not a sleep: a correct run never gets near it.
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        guard.CancelAfter(TimeSpan.FromSeconds(30));
        while (true)
        {
            Task next;
            lock (_messages)
            {
                if (_messages.Count >= count)
                {
                    return [.. _messages];
                }

                next = _written.Task;
            }

            await next.WaitAsync(guard.Token);
        }
    }
}
