using RiverRun.Cli.Output;

namespace RiverRun.Cli.Streaming;

/// <summary>
/// Tells the user on standard error that their task waits in the queue. On a terminal it is one
/// line rewritten every second with the time waited so far, erased when the task starts; when
/// standard error is not a terminal (a log file, CI), it is a single plain line.
/// </summary>
public sealed class QueueIndicator : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private readonly CliContext _context;
    private readonly string _taskId;
    private readonly long _startedAt;
    private readonly Lock _lock = new();
    private CancellationTokenSource? _animation;
    private Task _animationLoop = Task.CompletedTask;
    private bool _lineShown;
    private bool _everShown;

    /// <param name="context">Where to write.</param>
    /// <param name="taskId">The task waited for.</param>
    public QueueIndicator(CliContext context, string taskId)
    {
        _context = context;
        _taskId = taskId;
        _startedAt = context.Time.GetTimestamp();
    }

    /// <summary>Shows that the task is queued (once; calling again while shown does nothing).</summary>
    public void Show()
    {
        lock (_lock)
        {
            if (_animation is not null || (_everShown && !_context.IsErrorTerminal))
            {
                return;
            }

            _everShown = true;
            if (!_context.IsErrorTerminal)
            {
                _context.Error.WriteLine(
                    $"riverrun: task {_taskId} is QUEUED: waiting for a node with room (Ctrl-C detaches; riverrun status {_taskId})");
                return;
            }

            DrawLocked();
            _animation = new CancellationTokenSource();
            _animationLoop = AnimateAsync(_animation);
        }
    }

    /// <summary>Erases the line (on a terminal) and stops updating it; safe to call any time.</summary>
    public void Hide()
    {
        CancellationTokenSource? animation;
        lock (_lock)
        {
            animation = _animation;
            _animation = null;
            if (_lineShown)
            {
                _context.Error.Write("\r\u001b[2K");
                _lineShown = false;
            }
        }

        animation?.Cancel();
        animation?.Dispose();
    }

    /// <summary>How long the task has waited, when it was shown as queued; null if it never was.</summary>
    public TimeSpan? Waited => _everShown ? _context.Time.GetElapsedTime(_startedAt) : null;

    public async ValueTask DisposeAsync()
    {
        Hide();
        try
        {
            await _animationLoop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped by Hide.
        }
    }

    private async Task AnimateAsync(CancellationTokenSource animation)
    {
        var cancellationToken = animation.Token;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(Tick, _context.Time, cancellationToken).ConfigureAwait(false);
            lock (_lock)
            {
                // Hidden meanwhile (Hide clears the field before it cancels).
                if (!ReferenceEquals(_animation, animation))
                {
                    return;
                }

                DrawLocked();
            }
        }
    }

    private void DrawLocked()
    {
        var waited = Formats.Elapsed(_context.Time.GetElapsedTime(_startedAt));
        _context.Error.Write($"\r\u001b[2Kriverrun: task {_taskId} is QUEUED, waiting for a node with room... {waited}");
        _lineShown = true;
    }
}
