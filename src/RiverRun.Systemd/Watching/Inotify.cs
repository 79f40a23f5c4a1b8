using System.Runtime.InteropServices;

namespace RiverRun.Systemd;

/// <summary>
/// The Linux calls behind <see cref="SpoolWatcher"/>: inotify itself, and poll plus a pipe so
/// that the reader thread can be woken to stop. Kept apart from the watcher's bookkeeping.
/// </summary>
internal static unsafe partial class Inotify
{
    public const uint Modify = 0x2;            // IN_MODIFY: a file in the directory was written
    public const uint Attrib = 0x4;            // IN_ATTRIB
    public const uint CloseWrite = 0x8;        // IN_CLOSE_WRITE
    public const uint MovedTo = 0x80;          // IN_MOVED_TO: a file renamed into the directory (an earlier wrapper's exit record)
    public const uint Create = 0x100;          // IN_CREATE
    public const uint DeleteSelf = 0x400;      // IN_DELETE_SELF
    public const uint QueueOverflow = 0x4000;  // IN_Q_OVERFLOW: events were dropped
    public const uint Ignored = 0x8000;        // IN_IGNORED: the watch is gone
    public const uint OnlyDirectory = 0x01000000;  // IN_ONLYDIR
    public const uint DontFollow = 0x02000000;     // IN_DONT_FOLLOW

    public const int HeaderSize = 16;          // sizeof(struct inotify_event) without the name

    private const int NonBlocking = 0x800;     // IN_NONBLOCK / O_NONBLOCK
    private const int CloseOnExec = 0x80000;   // IN_CLOEXEC / O_CLOEXEC
    private const short PollIn = 0x1;
    private const int Interrupted = 4;         // EINTR
    private const int WouldBlock = 11;         // EAGAIN

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short ReturnedEvents;
    }

    /// <exception cref="IOException">The kernel refused (e.g. too many inotify instances).</exception>
    public static int Initialize()
    {
        var fd = InotifyInit1(NonBlocking | CloseOnExec);
        return fd >= 0 ? fd : throw Error("inotify_init1");
    }

    /// <returns>The watch descriptor.</returns>
    /// <exception cref="IOException">The kernel refused (e.g. fs.inotify.max_user_watches reached, or no such directory).</exception>
    public static int AddWatch(int fd, string path, uint mask)
    {
        var wd = InotifyAddWatch(fd, path, mask);
        return wd >= 0 ? wd : throw Error($"inotify_add_watch on '{path}'");
    }

    /// <summary>Removes a watch; one already gone (its directory was deleted) is no error.</summary>
    public static void RemoveWatch(int fd, int wd) => _ = InotifyRmWatch(fd, wd);

    /// <returns>The read end and the write end of a new pipe.</returns>
    public static (int Read, int Write) CreatePipe()
    {
        int* fds = stackalloc int[2];
        return Pipe2(fds, NonBlocking | CloseOnExec) == 0 ? (fds[0], fds[1]) : throw Error("pipe2");
    }

    public static void WriteByte(int fd)
    {
        byte one = 1;
        _ = Write(fd, &one, 1);
    }

    public static void CloseDescriptor(int fd) => _ = Close(fd);

    /// <summary>Blocks until <paramref name="fd"/> or <paramref name="wakeFd"/> is readable.</summary>
    /// <returns>False when woken through <paramref name="wakeFd"/>.</returns>
    public static bool WaitReadable(int fd, int wakeFd)
    {
        PollFd* fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = fd, Events = PollIn };
        fds[1] = new PollFd { Fd = wakeFd, Events = PollIn };
        while (Poll(fds, 2, -1) < 0)
        {
            if (Marshal.GetLastPInvokeError() != Interrupted)
            {
                throw Error("poll");
            }
        }

        return fds[1].ReturnedEvents == 0;
    }

    /// <returns>The bytes read; 0 when nothing is waiting.</returns>
    public static int ReadEvents(int fd, byte[] buffer)
    {
        fixed (byte* start = buffer)
        {
            while (true)
            {
                var read = Read(fd, start, (nuint)buffer.Length);
                if (read >= 0)
                {
                    return (int)read;
                }

                var errno = Marshal.GetLastPInvokeError();
                if (errno == WouldBlock)
                {
                    return 0;
                }

                if (errno != Interrupted)
                {
                    throw Error("read of inotify events");
                }
            }
        }
    }

    private static IOException Error(string what)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"{what} failed (errno {errno}: {Marshal.GetPInvokeErrorMessage(errno)}).");
    }

    [LibraryImport("libc", EntryPoint = "inotify_init1", SetLastError = true)]
    private static partial int InotifyInit1(int flags);

    [LibraryImport("libc", EntryPoint = "inotify_add_watch", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int InotifyAddWatch(int fd, string path, uint mask);

    [LibraryImport("libc", EntryPoint = "inotify_rm_watch", SetLastError = true)]
    private static partial int InotifyRmWatch(int fd, int wd);

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static partial int Poll(PollFd* fds, nuint count, int timeout);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, byte* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
