namespace RiverRun.Cli.Tests.Infrastructure;

/// <summary>A write-only stream that keeps what was written and lets a test wait for an amount of it.</summary>
internal sealed class CapturingStream : Stream
{
    private readonly Lock _lock = new();
    private readonly MemoryStream _bytes = new();
    private readonly List<(long Length, TaskCompletionSource Reached)> _waiters = [];

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length
    {
        get
        {
            lock (_lock)
            {
                return _bytes.Length;
            }
        }
    }

    public override long Position
    {
        get => Length;
        set => throw new NotSupportedException();
    }

    public byte[] ToArray()
    {
        lock (_lock)
        {
            return _bytes.ToArray();
        }
    }

    /// <summary>Completes once at least <paramref name="length"/> bytes were written.</summary>
    public Task WaitForLengthAsync(long length)
    {
        lock (_lock)
        {
            if (_bytes.Length >= length)
            {
                return Task.CompletedTask;
            }

            var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((length, waiter));
            return waiter.Task;
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        lock (_lock)
        {
            _bytes.Write(buffer);
            foreach (var waiter in _waiters.Where(w => _bytes.Length >= w.Length).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Reached.TrySetResult();
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
    {
        Write(buffer.AsSpan(offset, count));
        return Task.CompletedTask;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();
}
