using System.Buffers.Binary;

namespace RiverRun.Systemd;

/// <summary>
/// Tells when something changed in a task's spool directory (output written, the started marker
/// or the exit record put in place), so that readers sleep until then instead of polling. One
/// inotify instance and one reader thread serve every task of the Runner; each watched
/// directory costs one inotify watch.
/// </summary>
/// <remarks>
/// A watch sees only what happens after it was added: callers read the directory once after
/// <see cref="Watch"/> returned. When the kernel's event queue overflows, every watcher is told
/// that something changed, so nothing is ever missed, only read for nothing. The callback runs
/// on the reader thread and must be quick (signal, never read).
/// </remarks>
public sealed class SpoolWatcher : IDisposable
{
    private const uint Events = Inotify.Modify | Inotify.Attrib | Inotify.CloseWrite | Inotify.MovedTo | Inotify.Create
        | Inotify.DeleteSelf | Inotify.OnlyDirectory | Inotify.DontFollow;

    /// <summary>
    /// How long the reader rests after handling writes to files before it looks again (any other
    /// event is looked for again at once). A task printing
    /// flat out (e.g. <c>head -c 1G</c>, 4 KiB per write) raised an event per write and a
    /// wake-up of this thread each: 31,000–107,000 per GB, about a sixth of the Runner's CPU for
    /// output. Resting 1 ms bounds that to 1,000 a second, and the task no longer wakes anyone
    /// on each write; a reader already reading flat out loses nothing, and a quiet spool is still
    /// told of its first change at once.
    /// </summary>
    public static readonly TimeSpan CoalesceFor = TimeSpan.FromMilliseconds(1);

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Action> _watches = [];
    private readonly int _inotify;
    private readonly (int Read, int Write) _wake;
    private readonly Thread _reader;
    private bool _disposed;

    /// <exception cref="IOException">The kernel refused an inotify instance (fs.inotify.max_user_instances).</exception>
    public SpoolWatcher()
    {
        _inotify = Inotify.Initialize();
        _wake = Inotify.CreatePipe();
        // A thread of its own: it blocks in poll(2) for the Runner's life, which would tie up a
        // thread-pool thread. Background, so that a forgotten Dispose never keeps a process alive.
        _reader = new Thread(ReadLoop) { IsBackground = true, Name = "riverrun spool watcher" };
        _reader.Start();
    }

    /// <summary>Calls <paramref name="changed"/> whenever something in <paramref name="directory"/> may have changed, until disposed.</summary>
    /// <exception cref="IOException">The directory cannot be watched (missing, or fs.inotify.max_user_watches reached).</exception>
    public IDisposable Watch(string directory, Action changed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(changed);
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var wd = Inotify.AddWatch(_inotify, directory, Events);
            // The same directory twice yields the same watch: the later callback wins, as one
            // task has one spool and one supervisor.
            _watches[wd] = changed;
            return new Registration(this, wd, changed);
        }
    }

    /// <summary>How many directories are watched now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _watches.Count;
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _watches.Clear();
        }

        Inotify.WriteByte(_wake.Write);
        _reader.Join();
        Inotify.CloseDescriptor(_inotify);
        Inotify.CloseDescriptor(_wake.Read);
        Inotify.CloseDescriptor(_wake.Write);
    }

    private void Remove(int wd, Action changed)
    {
        lock (_gate)
        {
            if (_disposed || !_watches.TryGetValue(wd, out var current) || current != changed)
            {
                return;
            }

            _watches.Remove(wd);
            Inotify.RemoveWatch(_inotify, wd);
        }
    }

    private void ReadLoop()
    {
        // Big enough for hundreds of events per read; the kernel merges repeats of the same
        // event that are still unread, so a task writing fast costs few of them.
        var buffer = new byte[64 * 1024];
        var toSignal = new HashSet<Action>();
        while (Inotify.WaitReadable(_inotify, _wake.Read))
        {
            int length;
            var onlyWrites = true;
            while ((length = Inotify.ReadEvents(_inotify, buffer)) > 0)
            {
                onlyWrites &= Collect(buffer.AsSpan(0, length), toSignal);
                foreach (var changed in toSignal)
                {
                    changed();
                }

                toSignal.Clear();
            }

            if (onlyWrites)
            {
                // Output being written: the next writes wait a moment in the kernel's queue,
                // which merges a file's repeated modify events. Anything else (the started
                // marker, a new file, the exit record) is looked for again at once.
                Thread.Sleep(CoalesceFor);
            }
        }
    }

    // Returns whether every event was a write to a file (IN_MODIFY).
    private bool Collect(ReadOnlySpan<byte> events, HashSet<Action> toSignal)
    {
        var onlyWrites = true;
        lock (_gate)
        {
            while (events.Length >= Inotify.HeaderSize)
            {
                var wd = BinaryPrimitives.ReadInt32LittleEndian(events);
                var mask = BinaryPrimitives.ReadUInt32LittleEndian(events[4..]);
                var nameLength = (int)BinaryPrimitives.ReadUInt32LittleEndian(events[12..]);
                events = events[Math.Min(events.Length, Inotify.HeaderSize + nameLength)..];
                onlyWrites &= mask == Inotify.Modify;
                if ((mask & Inotify.QueueOverflow) != 0)
                {
                    // Events were lost: any directory may have changed.
                    toSignal.UnionWith(_watches.Values);
                    continue;
                }

                if (_watches.TryGetValue(wd, out var changed))
                {
                    toSignal.Add(changed);
                    if ((mask & Inotify.Ignored) != 0)
                    {
                        // The directory is gone; the kernel dropped the watch itself.
                        _watches.Remove(wd);
                    }
                }
            }
        }

        return onlyWrites;
    }

    private sealed class Registration(SpoolWatcher owner, int wd, Action changed) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                owner.Remove(wd, changed);
            }
        }
    }
}
