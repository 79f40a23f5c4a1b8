using RiverRun.Contracts;

namespace RiverRun.Runner.Output;

/// <summary>
/// Flow control for one task's output on one connection: how far each stream was sent and how far
/// the Host acknowledged it. The sender keeps sending while fewer than <see cref="Size"/> bytes are
/// unacknowledged, so several chunks are in flight and the pipe stays full, and waits once the
/// window is full, so a slow Host is not buried under queued output.
/// </summary>
internal sealed class OutputWindow
{
    private readonly Lock _gate = new();
    private long _stdoutSent;
    private long _stderrSent;
    private long _stdoutAcked;
    private long _stderrAcked;
    private TaskCompletionSource _acked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <param name="stdoutOffset">Where stdout resumes: what the Host acknowledged before.</param>
    /// <param name="stderrOffset">Where stderr resumes.</param>
    /// <param name="size">The most bytes unacknowledged at once (both streams together).</param>
    public OutputWindow(long stdoutOffset, long stderrOffset, long size = OutputFlow.WindowBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(stdoutOffset);
        ArgumentOutOfRangeException.ThrowIfNegative(stderrOffset);
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 1);
        _stdoutSent = _stdoutAcked = stdoutOffset;
        _stderrSent = _stderrAcked = stderrOffset;
        Size = size;
    }

    public long Size { get; }

    /// <summary>Bytes sent and not yet acknowledged.</summary>
    public long InFlight
    {
        get
        {
            lock (_gate)
            {
                return _stdoutSent - _stdoutAcked + (_stderrSent - _stderrAcked);
            }
        }
    }

    /// <summary>True while another chunk may go out.</summary>
    public bool HasRoom => InFlight < Size;

    /// <summary>Completes at the next acknowledgement after this call (take it before checking <see cref="HasRoom"/>).</summary>
    public Task NextAcknowledgement
    {
        get
        {
            lock (_gate)
            {
                return _acked.Task;
            }
        }
    }

    /// <summary>Records bytes handed to the connection.</summary>
    public void Sent(bool stdout, long end)
    {
        lock (_gate)
        {
            if (stdout)
            {
                _stdoutSent = Math.Max(_stdoutSent, end);
            }
            else
            {
                _stderrSent = Math.Max(_stderrSent, end);
            }
        }
    }

    /// <summary>
    /// Records what the Host stored. Offsets only grow (acks of one stream arrive in order) and
    /// never pass what was sent: a confused ack cannot open the window beyond the bytes in flight.
    /// </summary>
    public void Acknowledge(long stdoutOffset, long stderrOffset)
    {
        TaskCompletionSource acked;
        lock (_gate)
        {
            _stdoutAcked = Math.Clamp(stdoutOffset, _stdoutAcked, _stdoutSent);
            _stderrAcked = Math.Clamp(stderrOffset, _stderrAcked, _stderrSent);
            acked = _acked;
            _acked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        acked.TrySetResult();
    }
}
