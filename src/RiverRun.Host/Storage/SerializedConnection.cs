using Microsoft.Data.Sqlite;

namespace RiverRun.Host.Storage;

/// <summary>
/// One open connection to the Host's database, used by one call at a time. Microsoft.Data.Sqlite
/// executes synchronously anyway, and a single writer per connection never meets SQLITE_BUSY.
/// </summary>
internal sealed class SerializedConnection(string dataDirectory) : IDisposable
{
    private readonly SqliteConnection _connection = SqliteDatabase.Open(dataDirectory);
    private readonly SemaphoreSlim _gate = new(1, 1);

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

    /// <summary>A transaction; only inside <see cref="RunAsync{T}"/>.</summary>
    public SqliteTransaction BeginTransaction() => _connection.BeginTransaction();

    /// <summary>A command on the connection; only inside <see cref="RunAsync{T}"/>.</summary>
    public SqliteCommand Command(string sql, SqliteTransaction? transaction = null)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _connection.Dispose();
        _gate.Dispose();
    }
}
