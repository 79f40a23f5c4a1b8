namespace RiverRun.Host;

/// <summary>
/// The Host's files are private to its own user: the database holds every task's argv and
/// environment (secrets included) and the output files hold what tasks printed, so no other
/// user of the head machine may read them. Directories are 0700 and files 0600, set explicitly
/// rather than left to the umask, and tightened again when an older Host created them wider.
/// </summary>
internal static class PrivateFiles
{
    /// <summary>rwx------.</summary>
    public const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>rw-------.</summary>
    public const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates <paramref name="path"/> (and missing parents) and makes it 0700.</summary>
    /// <exception cref="InvalidOperationException">It is a shared directory such as /tmp (sticky bit), which must not be closed to others.</exception>
    public static void CreateDirectory(string path)
    {
        Directory.CreateDirectory(path, DirectoryMode);
        var mode = File.GetUnixFileMode(path);
        if (mode.HasFlag(UnixFileMode.StickyBit))
        {
            throw new InvalidOperationException(
                $"'{path}' is a shared directory (sticky bit, like /tmp); give the Host a directory of its own, e.g. /var/lib/riverrun");
        }

        if (mode != DirectoryMode)
        {
            File.SetUnixFileMode(path, DirectoryMode);
        }
    }

    /// <summary>Makes an existing file 0600; does nothing when it does not exist (yet).</summary>
    public static void Restrict(string path)
    {
        if (File.Exists(path) && File.GetUnixFileMode(path) != FileMode)
        {
            File.SetUnixFileMode(path, FileMode);
        }
    }

    /// <summary>Creates <paramref name="path"/> empty with mode 0600 when it does not exist, and makes it 0600 when it does.</summary>
    public static void CreateFile(string path)
    {
        try
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = System.IO.FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = FileMode });
        }
        catch (IOException) when (File.Exists(path))
        {
            Restrict(path);
        }
    }
}
