using System.Diagnostics;

namespace RiverRun.Systemd;

/// <summary>
/// A started program. Its output is drained in the background from the start, so a chatty
/// program never blocks on a full pipe while nobody is waiting for it.
/// </summary>
public sealed class RunningProcess : IDisposable
{
    private readonly Process _process;
    private readonly Stopwatch _clock;
    private readonly Task<string> _standardOutput;
    private readonly Task<string> _standardError;

    internal RunningProcess(Process process)
    {
        _process = process;
        _clock = Stopwatch.StartNew();
        ProcessId = process.Id;

        // No input is ever sent: closing stdin gives the program end of file rather than a pipe
        // that would stay open as long as we live.
        process.StandardInput.Close();
        _standardOutput = process.StandardOutput.ReadToEndAsync();
        _standardError = process.StandardError.ReadToEndAsync();
    }

    public int ProcessId { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Waits for the program to exit and for its output to reach end of file. Cancelling stops
    /// the waiting only; the program keeps running (use <see cref="Kill"/> for that).
    /// </summary>
    public async Task<ProcessResult> WaitForExitAsync(CancellationToken cancellationToken = default)
    {
        await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        var runTime = _clock.Elapsed;
        var standardOutput = await _standardOutput.WaitAsync(cancellationToken).ConfigureAwait(false);
        var standardError = await _standardError.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new ProcessResult(_process.ExitCode, standardOutput, standardError, runTime);
    }

    /// <summary>Kills the program and its descendants; a no-op once it has exited.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already exited: nothing to kill.
        }
    }

    public void Dispose() => _process.Dispose();
}
