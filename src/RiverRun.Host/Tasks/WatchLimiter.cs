using System.Collections.Concurrent;
using RiverRun.Contracts;

namespace RiverRun.Host.Tasks;

/// <summary>
/// Bounds the WatchOutput calls one caller holds open at once: each followed watch holds a
/// stream, a chunk buffer and a change subscription for as long as its task runs, so an endless
/// number of them from one caller would exhaust the Host for everyone.
/// </summary>
/// <remarks>
/// The caller is the peer's address, not its connection: a client opening a new connection per
/// watch must not escape the bound. (Once calls carry tokens, the token's name is the better key.)
/// </remarks>
public sealed class WatchLimiter
{
    /// <summary>The most watches one caller may hold open at once; far above what `riverrun logs -f` on every task of a busy user needs.</summary>
    public const int MaxWatchesPerCaller = 64;

    private readonly ConcurrentDictionary<string, int> _open = new(StringComparer.Ordinal);

    /// <summary>Counts one more watch for <paramref name="caller"/>; ResourceExhausted if it already holds the most. Dispose the result when the watch ends.</summary>
    public IDisposable Enter(string caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var count = _open.AddOrUpdate(caller, 1, (_, current) => current + 1);
        if (count > MaxWatchesPerCaller)
        {
            Leave(caller);
            throw RpcErrors.ResourceExhausted(
                $"you already have {MaxWatchesPerCaller} output watches open, the limit per caller; end some (e.g. stop `riverrun logs -f`) and try again");
        }

        return new Lease(this, caller);
    }

    /// <summary>
    /// The caller of a call from gRPC's peer text ("ipv4:127.0.0.1:51234", "ipv6:[::1]:51234",
    /// "unix:/run/x.sock"): the address without its port.
    /// </summary>
    public static string CallerOf(string? peer)
    {
        if (string.IsNullOrEmpty(peer))
        {
            return "(unknown)";
        }

        var colon = peer.LastIndexOf(':');
        return peer.StartsWith("ipv", StringComparison.Ordinal) && colon > peer.IndexOf(':', StringComparison.Ordinal)
            ? peer[..colon]
            : peer;
    }

    /// <summary>The watches <paramref name="caller"/> holds now.</summary>
    public int OpenCount(string caller) => _open.TryGetValue(caller, out var count) ? count : 0;

    private void Leave(string caller)
    {
        // Remove the entry when it reaches 0, so callers who come and go do not pile up.
        while (true)
        {
            var current = _open[caller];
            if (current == 1 ? _open.TryRemove(KeyValuePair.Create(caller, 1)) : _open.TryUpdate(caller, current - 1, current))
            {
                return;
            }
        }
    }

    private sealed class Lease(WatchLimiter limiter, string caller) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                limiter.Leave(caller);
            }
        }
    }
}
