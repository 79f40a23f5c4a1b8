using RiverRun.Systemd;

namespace RiverRun.Runner.Output;

/// <summary>
/// Reads a task's output file from an offset. The file lives in the spool of the task's user,
/// who could swap it for a symbolic link (to a file only root may read) or a FIFO (which would
/// block a reader): both are refused by <see cref="UntrustedFile"/>, read as "no more bytes".
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
        FileStream? stream;
        try
        {
            stream = UntrustedFile.OpenRegularFile(path);
        }
        catch (InvalidDataException)
        {
            return 0;
        }

        using (stream)
        {
            if (stream is null || stream.Length <= offset)
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
    }
}
