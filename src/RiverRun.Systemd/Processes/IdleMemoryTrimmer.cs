using System.Runtime.InteropServices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace RiverRun.Systemd.Processes;

/// <summary>
/// Looks at the GC every <see cref="Interval"/> and, when <see cref="IdleMemoryPolicy"/> says the
/// service has gone quiet after a burst, runs one aggressive full collection, which compacts the
/// heap and returns the freed memory to the system, then has glibc return the free memory of its
/// malloc arenas (SQLite's and OpenSSL's allocations from many threads). The Host and the Runner run it.
/// </summary>
public sealed partial class IdleMemoryTrimmer(TimeProvider clock, ILogger<IdleMemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often the GC is looked at; a burst's memory is returned within two of these after it ends.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    /// <summary>When to trim.</summary>
    public IdleMemoryPolicy Policy { get; init; } = new();

    /// <summary>Reads the GC (replaced in tests).</summary>
    public Func<GcReading> Read { get; init; } = ReadGc;

    /// <summary>Trims (replaced in tests).</summary>
    public Action Trim { get; init; } = TrimGc;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var previous = Read();
        while (true)
        {
            try
            {
                await Task.Delay(Interval, clock, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var now = Read();
            if (Policy.ShouldTrim(now.AllocatedBytes - previous.AllocatedBytes))
            {
                var started = clock.GetTimestamp();
                Trim();
                var took = clock.GetElapsedTime(started);
                var after = Read();
                Trimmed(logger, now.CommittedBytes >> 20, after.CommittedBytes >> 20, took.TotalMilliseconds);
                // What the collection itself allocated does not make the next look busy.
                now = after;
            }

            previous = now;
        }
    }

    private static GcReading ReadGc() =>
        new(GC.GetTotalAllocatedBytes(precise: false), GC.GetGCMemoryInfo(GCKind.Any).TotalCommittedBytes);

    // Aggressive: compacting, blocking, and it decommits what it frees (a plain full collection
    // keeps the emptied regions for later). malloc_trim: glibc keeps freed memory in each thread's
    // arena until asked; RiverRun runs on glibc systems (Debian, as the nodes).
    private static void TrimGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        // Its result (whether anything was released) changes nothing here.
        _ = MallocTrim(0);
    }

    [LibraryImport("libc", EntryPoint = "malloc_trim")]
    private static partial int MallocTrim(nuint pad);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quiet after a burst: a full collection took the GC's committed memory from {BeforeMb} to {AfterMb} MB in {Milliseconds:0.#} ms")]
    private static partial void Trimmed(ILogger logger, long beforeMb, long afterMb, double milliseconds);
}
