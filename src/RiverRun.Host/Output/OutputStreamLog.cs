using Microsoft.Win32.SafeHandles;

namespace RiverRun.Host.Output;

/// <summary>
/// One output stream of one task on disk: a file whose length is the stream's stored length.
/// Appends are positional (by offset), so re-sent bytes are skipped, never written twice.
/// </summary>
internal sealed class OutputStreamLog : IDisposable
{
    private readonly string _path;
    private readonly Lock _lock = new();
    private SafeFileHandle? _handle;
    private long _length = -1;
    private bool _unflushed;

    public OutputStreamLog(string path) => _path = path;

    public long Length
    {
        get
        {
            lock (_lock)
            {
                return EnsureLength();
            }
        }
    }

    public OutputAppendResult Append(long offset, ReadOnlySpan<byte> data)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_lock)
        {
            var stored = EnsureLength();
            if (offset > stored)
            {
                return new(OutputAppendOutcome.Gap, stored);
            }

            var end = offset + data.Length;
            if (end <= stored)
            {
                return new(OutputAppendOutcome.Duplicate, stored);
            }

            // Skip the prefix already stored: those bytes came in an earlier copy of this chunk.
            var fresh = data[(int)(stored - offset)..];
            var handle = EnsureHandle();
            RandomAccess.Write(handle, fresh, stored);
            _length = end;
            _unflushed = true;
            return new(OutputAppendOutcome.Appended, end);
        }
    }

    /// <summary>Makes stored bytes durable; called before the Runner is told it may drop its spool.</summary>
    public void Flush()
    {
        lock (_lock)
        {
            if (_unflushed && _handle is not null)
            {
                RandomAccess.FlushToDisk(_handle);
                _unflushed = false;
            }
        }
    }

    /// <summary>Reads stored bytes at <paramref name="offset"/>; never past the stored length, so a reader sees only whole appends.</summary>
    public int Read(long offset, Span<byte> buffer)
    {
        lock (_lock)
        {
            var stored = EnsureLength();
            if (offset >= stored || buffer.IsEmpty)
            {
                return 0;
            }

            var count = (int)Math.Min(buffer.Length, stored - offset);
            if (_handle is null)
            {
                // Released (the task's writer is done) while a reader still held this object:
                // read without keeping a handle open again.
                return ReadDetached(_path, offset, buffer[..count]);
            }

            return ReadFully(_handle, offset, buffer[..count]);
        }
    }

    /// <summary>Makes a stream no writer holds open durable (fsync of a file already on disk costs next to nothing).</summary>
    public static void FlushDetached(string path)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>The stored length of a stream no writer holds open: the file's size.</summary>
    public static long FileLength(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    /// <summary>Reads a stream no writer holds open, with a handle kept only for this read.</summary>
    public static int ReadDetached(string path, long offset, Span<byte> buffer)
    {
        if (buffer.IsEmpty || !File.Exists(path))
        {
            return 0;
        }

        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        return ReadFully(handle, offset, buffer);
    }

    private static int ReadFully(SafeFileHandle handle, long offset, Span<byte> buffer)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = RandomAccess.Read(handle, buffer[total..], offset + total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle is not null && _unflushed)
            {
                RandomAccess.FlushToDisk(_handle);
            }

            _handle?.Dispose();
            _handle = null;
            _unflushed = false;
        }
    }

    private long EnsureLength()
    {
        if (_length < 0)
        {
            // The file's size is the truth after a restart: every byte in it came from a chunk at its offset.
            _length = File.Exists(_path) ? new FileInfo(_path).Length : 0;
        }

        return _length;
    }

    private SafeFileHandle EnsureHandle()
    {
        if (_handle is null)
        {
            PrivateFiles.CreateDirectory(Path.GetDirectoryName(_path)!);
            // What a task printed is its owner's alone: 0600 whatever the umask (see PrivateFiles).
            var handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
            if (File.GetUnixFileMode(handle) != PrivateFiles.FileMode)
            {
                File.SetUnixFileMode(handle, PrivateFiles.FileMode);
            }

            _handle = handle;
        }

        return _handle;
    }
}
