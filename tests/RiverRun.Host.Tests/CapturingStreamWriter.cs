using Grpc.Core;

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

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message) => WriteAsync(message, CancellationToken.None);

    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        lock (_messages)
        {
            _messages.Add(message);
        }

        return Task.CompletedTask;
    }
}
