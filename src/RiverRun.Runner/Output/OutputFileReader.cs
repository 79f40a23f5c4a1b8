using RiverRun.Systemd;

namespace RiverRun.Runner.Output;

/// <summary>
/// Reads one output file of a task's spool from an offset, keeping the file open between reads
/// (a task printing 1 GB is read in a thousand reads, not a thousand opens). The file lives in the
/// spool of the task's user, who could swap it for a symbolic link (to a file only root may read)
/// or a FIFO (which would block a reader): both are refused by <see cref="UntrustedFile"/> and
/// read as "no more bytes". Once open, the handle is the file's: a later swap of the name is not
/// followed either.
/// </summary>
internal sealed class OutputFileReader : IDisposable
{
    private readonly string _path;
    private FileStream? _stream;
    private bool _refused;

    public OutputFileReader(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        _path = path;
    }

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 when
    /// there are none (yet), the file does not exist (yet), or it is not a regular file.
    /// </summary>
    public int Read(long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (_stream is null && !TryOpen())
        {
            return 0;
        }

        var handle = _stream!.SafeFileHandle;
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

    /// <summary>Reads once, with a handle held only for this read (tests, one-off reads).</summary>
    public static int Read(string path, long offset, Span<byte> buffer)
    {
        using var reader = new OutputFileReader(path);
        return reader.Read(offset, buffer);
    }

    public void Dispose() => _stream?.Dispose();

    private bool TryOpen()
    {
        if (_refused)
        {
            return false;
        }

        try
        {
            _stream = UntrustedFile.OpenRegularFile(_path);
        }
        catch (InvalidDataException)
        {
            // Refused for good: the name stays whatever the user made of it.
            _refused = true;
            return false;
        }

        return _stream is not null;
    }
}
