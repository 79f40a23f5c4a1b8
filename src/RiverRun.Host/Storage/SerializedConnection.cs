using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace RiverRun.Host.Storage;

/// <summary>
/// One open connection to the Host's database, used by one call at a time. Microsoft.Data.Sqlite
/// executes synchronously anyway, and a single writer per connection never meets SQLITE_BUSY.
/// </summary>
/// <remarks>
/// Writes are group-committed (<see cref="WriteAsync{T}"/>): every write waiting when the
/// connection frees up runs in one transaction, each inside its own savepoint, and one commit
/// (one fsync with synchronous=FULL) makes them all durable before any caller is answered. An
/// fsync costs milliseconds; one per write would cap the Host at a few hundred writes a second
/// however many clients submit at once. Alone, a write costs what it did before.
/// </remarks>
internal sealed class SerializedConnection(string dataDirectory) : IDisposable
{
    private readonly SqliteConnection _connection = SqliteDatabase.Open(dataDirectory);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentQueue<IPendingWrite> _writes = new();

    // One command per statement the store runs on every task: SQLite compiles it once, on first
    // use, instead of on every call (Microsoft.Data.Sqlite keeps a command's compiled statements
    // for as long as its text stays the same). Only touched by the one call holding the connection.
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    /// <summary>Runs <paramref name="work"/> once no other call is using the connection.</summary>
    public async Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a transaction, possibly shared with other writes, and returns
    /// once that transaction is committed. An exception from <paramref name="work"/> undoes only its
    /// own changes and reaches only its caller.
    /// </summary>
    /// <remarks>
    /// Not cancellable once asked: a write that might still happen after its caller was told it was
    /// cancelled would be worse than waiting the few milliseconds it takes.
    /// </remarks>
    public async Task<T> WriteAsync<T>(Func<SqliteTransaction, T> work)
    {
        var write = new PendingWrite<T>(work);
        _writes.Enqueue(write);
        // Whoever holds the connection next commits every queued write, this one included; a caller
        // that finds its write done by an earlier holder just passes the gate on.
        await _gate.WaitAsync();
        try
        {
            if (!write.Task.IsCompleted)
            {
                CommitQueuedWrites();
            }
        }
        finally
        {
            _gate.Release();
        }

        return await write.Task;
    }

    /// <summary>A transaction; only inside <see cref="RunAsync{T}"/>.</summary>
    public SqliteTransaction BeginTransaction() => _connection.BeginTransaction();

    /// <summary>A command on the connection; only inside <see cref="RunAsync{T}"/> or <see cref="WriteAsync{T}"/>.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <summary>
    /// The connection's one command for <paramref name="sql"/>, compiled on its first use and kept:
    /// for the statements run again and again with only their parameters changing. Comes with no
    /// parameters; only inside <see cref="RunAsync{T}"/> or <see cref="WriteAsync{T}"/>, and never
    /// disposed by the caller.
    /// </summary>
    public SqliteCommand Prepared(string sql, SqliteTransaction? transaction = null)
    {
        if (!_prepared.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            _prepared.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        return command;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _connection.Dispose();
        _gate.Dispose();
    }

    private void CommitQueuedWrites()
    {
        var batch = new List<IPendingWrite>();
        while (_writes.TryDequeue(out var queued))
        {
            batch.Add(queued);
        }

        try
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var write in batch)
            {
                write.Run(transaction);
            }

            transaction.Commit();
        }
        catch (Exception exception)
        {
            // The commit itself failed (disk full, I/O error): nothing of the batch is durable.
            foreach (var write in batch)
            {
                write.Fail(exception);
            }

            return;
        }

        foreach (var write in batch)
        {
            write.Complete();
        }
    }

    private interface IPendingWrite
    {
        void Run(SqliteTransaction transaction);

        void Complete();

        void Fail(Exception exception);
    }

    private sealed class PendingWrite<T>(Func<SqliteTransaction, T> work) : IPendingWrite
    {
        private const string Savepoint = "write";

        // Completions run on the caller's continuation, never inline on the thread committing the next batch.
        private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _result;
        private Exception? _error;

        public Task<T> Task => _completion.Task;

        public void Run(SqliteTransaction transaction)
        {
            transaction.Save(Savepoint);
            try
            {
                _result = work(transaction);
                transaction.Release(Savepoint);
            }
            catch (Exception exception)
            {
                transaction.Rollback(Savepoint);
                transaction.Release(Savepoint);
                _error = exception;
            }
        }

        public void Complete()
        {
            if (_error is not null)
            {
                _completion.TrySetException(_error);
            }
            else
            {
                _completion.TrySetResult(_result!);
            }
        }

        public void Fail(Exception exception) => _completion.TrySetException(_error ?? exception);
    }
}
