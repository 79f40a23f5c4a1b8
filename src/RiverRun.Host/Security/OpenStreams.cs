namespace RiverRun.Host.Security;

/// <summary>
/// The open streams (Runner connections, followed watches) and the token each was opened with,
/// so that revoking a token, or its expiry, ends them at once instead of when they next reconnect.
/// </summary>
public sealed class OpenStreams(TimeProvider clock)
{
    private readonly Lock _lock = new();
    private readonly HashSet<Guard> _open = [];

    /// <summary>Tracks a stream of <paramref name="caller"/> until the returned guard is disposed.</summary>
    public Guard Open(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var guard = new Guard(this, caller);
        if (caller.ExpiresAt is { } expires)
        {
            var left = expires - clock.GetUtcNow();
            guard.ExpireAfter(clock.CreateTimer(_ => guard.End(), null, left > TimeSpan.Zero ? left : TimeSpan.Zero, Timeout.InfiniteTimeSpan));
        }

        lock (_lock)
        {
            _open.Add(guard);
        }

        return guard;
    }

    /// <summary>Ends every open stream of the token named <paramref name="name"/>; how many there were.</summary>
    public int Revoke(string name)
    {
        List<Guard> ended;
        lock (_lock)
        {
            ended = [.. _open.Where(g => g.Caller.Name.Length > 0 && string.Equals(g.Caller.Name, name, StringComparison.Ordinal))];
        }

        foreach (var guard in ended)
        {
            guard.End();
        }

        return ended.Count;
    }

    private void Remove(Guard guard)
    {
        lock (_lock)
        {
            _open.Remove(guard);
        }
    }

    /// <summary>One tracked stream: <see cref="Ended"/> fires when its token is revoked or expires.</summary>
    public sealed class Guard : IDisposable
    {
        private readonly OpenStreams _owner;
        private readonly CancellationTokenSource _ended = new();
        private ITimer? _expiry;

        internal Guard(OpenStreams owner, Caller caller)
        {
            _owner = owner;
            Caller = caller;
        }

        /// <summary>Whose stream it is.</summary>
        public Caller Caller { get; }

        /// <summary>Cancelled when the stream's token stops working.</summary>
        public CancellationToken Ended => _ended.Token;

        /// <inheritdoc />
        public void Dispose()
        {
            _owner.Remove(this);
            _expiry?.Dispose();
            _ended.Dispose();
        }

        internal void ExpireAfter(ITimer timer) => _expiry = timer;

        internal void End()
        {
            try
            {
                _ended.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The stream ended on its own meanwhile.
            }
        }
    }
}
