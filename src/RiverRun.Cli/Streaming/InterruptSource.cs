namespace RiverRun.Cli.Streaming;

/// <summary>
/// Ctrl-C as cancellation: a command that wants to handle the next Ctrl-C registers and gets a
/// token cancelled by it. A Ctrl-C nobody registered for is left to the default handling (the
/// process ends), so commands that do not care need not do anything.
/// </summary>
public sealed class InterruptSource
{
    private readonly Lock _lock = new();
    private readonly List<CancellationTokenSource> _listeners = [];

    /// <summary>A token cancelled by the next interrupt; dispose the registration when no longer interested.</summary>
    public Registration Register()
    {
        var source = new CancellationTokenSource();
        lock (_lock)
        {
            _listeners.Add(source);
        }

        return new Registration(this, source);
    }

    /// <summary>Delivers an interrupt to every current registration; false when nobody was registered.</summary>
    public bool Interrupt()
    {
        CancellationTokenSource[] listeners;
        lock (_lock)
        {
            listeners = [.. _listeners];
            _listeners.Clear();
        }

        foreach (var listener in listeners)
        {
            listener.Cancel();
        }

        return listeners.Length > 0;
    }

    private void Remove(CancellationTokenSource source)
    {
        lock (_lock)
        {
            _listeners.Remove(source);
        }
    }

    /// <summary>One registration: its token is cancelled by the next interrupt.</summary>
    public sealed class Registration : IDisposable
    {
        private readonly InterruptSource _owner;
        private readonly CancellationTokenSource _source;

        internal Registration(InterruptSource owner, CancellationTokenSource source)
        {
            _owner = owner;
            _source = source;
        }

        /// <summary>Cancelled when Ctrl-C is pressed.</summary>
        public CancellationToken Token => _source.Token;

        /// <summary>Whether Ctrl-C was pressed.</summary>
        public bool Interrupted => _source.IsCancellationRequested;

        public void Dispose()
        {
            _owner.Remove(_source);
            _source.Dispose();
        }
    }
}
