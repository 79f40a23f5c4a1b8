using System.Collections.Concurrent;
using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Output;

/// <summary>
/// Every task's stdout and stderr as files under <c>&lt;data directory&gt;/output/&lt;task id&gt;/</c>,
/// appended idempotently by offset and read back from any offset.
/// </summary>
/// <remarks>
/// Bytes are stored exactly as they came; the store never interprets them. Nothing here holds an
/// output in memory: writes go straight to the file, reads fill the caller's buffer.
/// Open file handles are kept per task only while it produces output (appends) and released with
/// <see cref="Release"/>; reading a task that has no writer opens its file just for that read, so
/// listing, status and replays of finished tasks hold no handle and no entry.
/// </remarks>
public sealed class OutputLogStore : IDisposable
{
    /// <summary>The folder inside the data directory that holds the output.</summary>
    public const string FolderName = "output";

    private readonly string _root;
    private readonly ConcurrentDictionary<TaskId, TaskOutputLogs> _logs = new();

    /// <summary>A store under <paramref name="dataDirectory"/>.</summary>
    public OutputLogStore(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        _root = Path.Combine(dataDirectory, FolderName);
        PrivateFiles.CreateDirectory(_root);
    }

    /// <summary>Tasks whose files are held open now (for leak checks: only tasks still producing output).</summary>
    public int OpenTasks => _logs.Count;

    /// <summary>Stores the part of a chunk that is new. See <see cref="OutputAppendOutcome"/>.</summary>
    public OutputAppendResult Append(TaskId id, V1.OutputStream stream, long offset, ReadOnlySpan<byte> data) =>
        Log(id, stream).Append(offset, data);

    /// <summary>Bytes of the stream stored so far.</summary>
    public long GetLength(TaskId id, V1.OutputStream stream) =>
        _logs.TryGetValue(id, out var logs) ? Select(logs, stream).Length : OutputStreamLog.FileLength(PathOf(id, stream));

    /// <summary>Reads stored bytes of a stream at <paramref name="offset"/> into <paramref name="buffer"/>; 0 at the stored end.</summary>
    public int Read(TaskId id, V1.OutputStream stream, long offset, Span<byte> buffer) =>
        _logs.TryGetValue(id, out var logs)
            ? Select(logs, stream).Read(offset, buffer)
            : OutputStreamLog.ReadDetached(PathOf(id, stream), offset, buffer);

    /// <summary>
    /// Makes everything stored for the task durable, whether or not its files are open now (a
    /// Host restarted since they were written cannot know whether they reached the disk). Called
    /// before the Runner is told it may delete its copy, never per chunk.
    /// </summary>
    public void Flush(TaskId id)
    {
        if (_logs.TryGetValue(id, out var logs))
        {
            logs.Stdout.Flush();
            logs.Stderr.Flush();
            return;
        }

        OutputStreamLog.FlushDetached(PathOf(id, V1.OutputStream.Stdout));
        OutputStreamLog.FlushDetached(PathOf(id, V1.OutputStream.Stderr));
    }

    /// <summary>Closes the task's files; a later append or read opens them again.</summary>
    public void Release(TaskId id)
    {
        if (_logs.TryRemove(id, out var logs))
        {
            logs.Dispose();
        }
    }

    /// <summary>
    /// Removes everything stored for the task (retention). Returns the bytes it freed; 0 when
    /// nothing was stored. A reader that has the files open keeps reading what it opened.
    /// </summary>
    public long Delete(TaskId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        Release(id);
        var folder = new DirectoryInfo(Path.Combine(_root, id.Value));
        if (!folder.Exists)
        {
            return 0;
        }

        var freed = folder.EnumerateFiles().Sum(file => file.Length);
        folder.Delete(recursive: true);
        return freed;
    }

    /// <summary>The tasks that have a folder here, whether or not the database still knows them.</summary>
    public IEnumerable<TaskId> ListTaskFolders()
    {
        foreach (var folder in Directory.EnumerateDirectories(_root))
        {
            // Anything that is not a task id is not ours to judge (or to delete).
            if (TaskId.TryParse(Path.GetFileName(folder), out var id, out _))
            {
                yield return id;
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var id in _logs.Keys)
        {
            Release(id);
        }
    }

    private OutputStreamLog Log(TaskId id, V1.OutputStream stream)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Select(_logs.GetOrAdd(id, static (key, root) => new TaskOutputLogs(Path.Combine(root, key.Value)), _root), stream);
    }

    private static OutputStreamLog Select(TaskOutputLogs logs, V1.OutputStream stream) => stream switch
    {
        V1.OutputStream.Stdout => logs.Stdout,
        V1.OutputStream.Stderr => logs.Stderr,
        _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "output stream must be stdout or stderr"),
    };

    private string PathOf(TaskId id, V1.OutputStream stream)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Path.Combine(_root, id.Value, TaskOutputLogs.FileName(stream));
    }

    private sealed class TaskOutputLogs(string folder) : IDisposable
    {
        public OutputStreamLog Stdout { get; } = new(Path.Combine(folder, FileName(V1.OutputStream.Stdout)));

        public OutputStreamLog Stderr { get; } = new(Path.Combine(folder, FileName(V1.OutputStream.Stderr)));

        public static string FileName(V1.OutputStream stream) => stream switch
        {
            V1.OutputStream.Stdout => "stdout",
            V1.OutputStream.Stderr => "stderr",
            _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, "output stream must be stdout or stderr"),
        };

        public void Dispose()
        {
            Stdout.Dispose();
            Stderr.Dispose();
        }
    }
}
