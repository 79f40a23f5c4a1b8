using RiverRun.Contracts.Rpc;

namespace RiverRun.Host.Tests;

/// <summary>Stands in for a server stream: keeps what is written.</summary>
internal sealed class CapturingStreamWriter<T> : IServerStreamWriter<T>
{
    private readonly List<T> _messages = [];

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

    public Task WriteAsync(T message, CancellationToken cancellationToken = default)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return Task.CompletedTask;
    }
}
