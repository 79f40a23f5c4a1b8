namespace RiverRun.Runner.Output;

/// <summary>
/// Reads a task's output file from an offset. The file lives in the spool of the task's user,
/// who could swap it for a symbolic link (to a file only root may read) or a FIFO (which would
/// block a reader): both are refused, read as "no more bytes".
/// </summary>
internal static class OutputFileReader
{
    /// <summary>The largest chunk ever sent; keeps each message well below gRPC's 4 MiB default.</summary>
    public const int MaxChunkSize = 64 * 1024;

    /// <summary>
    /// Reads up to <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>; 0 when
    /// there are none (yet), the file does not exist, or it is not a regular file.
    /// </summary>
    public static int Read(string path, long offset, Span<byte> buffer)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var info = new FileInfo(path);
        if (!info.Exists || info.LinkTarget is not null || info.Length <= offset)
        {
            return 0;
        }

        try
        {
            using var stream = Open(path);
            if (!stream.CanSeek)
            {
                return 0;
            }

            stream.Seek(offset, SeekOrigin.Begin);
            var total = 0;
            while (total < buffer.Length)
            {
                var read = stream.Read(buffer[total..]);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return 0;
        }
    }

    // Read-write opens a FIFO without blocking (Linux), where it is then refused as unseekable;
    // nothing is ever written. A Runner without write permission is not root and runs tasks as
    // itself, so read-only is safe there.
    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
        catch (UnauthorizedAccessException)
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 0);
        }
    }
}
