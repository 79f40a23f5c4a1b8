using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace RiverRun.Systemd;

/// <summary>
/// Opens a file in a directory another user controls (a task's spool), for a root reader. A
/// check of the path followed by an open leaves a window in which the user can swap the file for
/// a symbolic link to a file only root may read; opening with O_NOFOLLOW closes it, as the kernel
/// refuses a link in the last component at the open itself. O_NONBLOCK makes a planted FIFO open
/// at once instead of hanging the reader, and it is then refused as not seekable. (Users cannot
/// make device nodes, and hard links to others' files are refused by protected_hardlinks.)
/// </summary>
public static partial class UntrustedFile
{
    private const int ReadOnly = 0x0;
    private const int NonBlocking = 0x800;     // O_NONBLOCK
    private const int NoFollow = 0x20000;      // O_NOFOLLOW
    private const int CloseOnExec = 0x80000;   // O_CLOEXEC
    private const int NoSuchFile = 2;          // ENOENT

    /// <summary>
    /// A read-only, seekable stream over the regular file at <paramref name="path"/>, or null when
    /// there is none (yet).
    /// </summary>
    /// <exception cref="InvalidDataException">It is a symbolic link, a FIFO or anything else that is not a regular file.</exception>
    public static FileStream? OpenRegularFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fd = Open(path, ReadOnly | NonBlocking | NoFollow | CloseOnExec);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            return errno == NoSuchFile
                ? null
                : throw new InvalidDataException($"'{path}' cannot be opened as a regular file (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}); a symbolic link is refused.");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            stream.Dispose();
            throw new InvalidDataException($"'{path}' is not a regular file.");
        }

        return stream;
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);
}
