using System.Threading.Channels;

namespace RiverRun.Runner.Tasks;

/// <summary>
/// Deletes the directories and spools of tasks the Runner let go, many per rm process. Spools
/// are dropped one after another as a queue drains (each once the Host stored the task's end),
/// and an rm each was 7 % of the node's CPU in a 200-task drain (perf), more than the systemctl
/// calls that stop the scopes; so the first deletion of a batch waits <see cref="GatherFor"/>
/// for others, like <see cref="EmptiedScopeStopper"/>. The task is already out of the Runner's
/// memory by then; a Runner stopped in between finds the directory again at its next start and
/// reports the task as ended, and the Host lets it go again.
/// </summary>
internal sealed class TaskDirectoryRemover : IAsyncDisposable
{
    // One command line's worth: rm takes many paths, but not without bound.
    private const int MaxPathsPerCall = 128;

    /// <summary>How long the first deletion of a batch waits for more.</summary>
    public static readonly TimeSpan GatherFor = TimeSpan.FromMilliseconds(250);

    private readonly TimeProvider _time;
    private readonly Func<IReadOnlyList<string>, Task> _remove;
    private readonly Channel<Request> _requests = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    /// <param name="time">Drives the gathering.</param>
    /// <param name="remove">Removes paths in one go; tests substitute a recorder.</param>
    public TaskDirectoryRemover(TimeProvider time, Func<IReadOnlyList<string>, Task>? remove = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _remove = remove ?? TaskDirectory.RemoveAsync;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Completes once the task's directory and spool are gone (or with rm's error).</summary>
    public Task RemoveAsync(TaskDirectory directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        var paths = directory.ExistingPaths;
        if (paths.Count == 0)
        {
            return Task.CompletedTask;
        }

        var request = new Request(paths, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_requests.Writer.TryWrite(request))
        {
            // Stopping: the directory stays for the next start, as after any stop.
            request.Done.SetCanceled();
        }

        return request.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _requests.Writer.TryComplete();
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
        _stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var batch = new List<Request>();
        try
        {
            while (await _requests.Reader.WaitToReadAsync(_stopping.Token).ConfigureAwait(false))
            {
                await Task.Delay(GatherFor, _time, _stopping.Token).ConfigureAwait(false);
                batch.Clear();
                var count = 0;
                while (count < MaxPathsPerCall && _requests.Reader.TryRead(out var request))
                {
                    batch.Add(request);
                    count += request.Paths.Count;
                }

                try
                {
                    await _remove([.. batch.SelectMany(r => r.Paths)]).ConfigureAwait(false);
                    batch.ForEach(r => r.Done.SetResult());
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    batch.ForEach(r => r.Done.SetException(ex));
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }

        // Whatever is still queued stays on disk for the next start.
        while (_requests.Reader.TryRead(out var left))
        {
            left.Done.TrySetCanceled();
        }
    }

    private sealed record Request(IReadOnlyList<string> Paths, TaskCompletionSource Done);
}
