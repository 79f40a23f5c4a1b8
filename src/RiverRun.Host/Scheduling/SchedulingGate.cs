namespace RiverRun.Host.Scheduling;

/// <summary>
/// Serializes the two things that decide which StartTask a Runner gets: a scheduler pass, and a
/// Runner's registration (which re-sends StartTask for tasks it missed). Without it a task placed
/// while its node re-registers could be started twice, or not at all.
/// </summary>
public sealed class SchedulingGate : IDisposable
{
    private readonly SemaphoreSlim _semaphore = new(1, 1);

    /// <summary>Holds the gate until the returned handle is disposed.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _semaphore.WaitAsync(cancellationToken);
        return new Release(_semaphore);
    }

    /// <inheritdoc />
    public void Dispose() => _semaphore.Dispose();

    private sealed class Release(SemaphoreSlim semaphore) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                semaphore.Release();
            }
        }
    }
}
