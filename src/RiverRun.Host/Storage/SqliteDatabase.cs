using System.Globalization;
using Microsoft.Data.Sqlite;

namespace RiverRun.Host.Storage;

/// <summary>
/// Opens the Host's SQLite database the way every user of it must: WAL, synchronous=FULL, a busy
/// timeout, and the schema migrated to <see cref="SqliteSchema.Version"/>. The task store and the
/// token store each hold one connection; so may <c>riverrun init token</c> beside a running Host
/// (WAL and the busy timeout make the second writer wait instead of fail).
/// </summary>
internal static class SqliteDatabase
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = "riverrun.db";

    /// <summary>An open connection to <see cref="FileName"/> in <paramref name="dataDirectory"/>, created when needed.</summary>
    public static SqliteConnection Open(string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        PrivateFiles.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        // SQLite creates the database with 0644 less the umask, and gives its -wal and -shm the
        // database's mode: a 0600 database first makes all three private.
        PrivateFiles.CreateFile(path);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            // One long-lived connection: pooling would only keep a second handle open after Dispose.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            Execute(connection, "PRAGMA journal_mode = WAL;");
            Execute(connection, "PRAGMA synchronous = FULL;");
            Execute(connection, "PRAGMA busy_timeout = 5000;");
            Migrate(connection);
            // Left wide by an older Host: tightened now that WAL mode has opened them.
            PrivateFiles.Restrict(path + "-wal");
            PrivateFiles.Restrict(path + "-shm");
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private static void Migrate(SqliteConnection connection)
    {
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA user_version;";
        var current = Convert.ToInt32(version.ExecuteScalar(), CultureInfo.InvariantCulture);
        if (current > SqliteSchema.Version)
        {
            throw new InvalidOperationException(
                $"{connection.DataSource} has schema version {current}, newer than this Host's {SqliteSchema.Version}; run a newer riverrun");
        }

        if (current == SqliteSchema.Version)
        {
            return;
        }

        using var transaction = connection.BeginTransaction();
        if (current == 1)
        {
            Execute(connection, SqliteSchema.FromVersion1, transaction);
        }

        if (current is 1 or 2)
        {
            Execute(connection, SqliteSchema.FromVersion2, transaction);
        }

        // Versions 1 and 2 had no tokens table: Create below makes it with the accounts column.
        if (current == 3)
        {
            Execute(connection, SqliteSchema.FromVersion3, transaction);
        }

        Execute(connection, SqliteSchema.Create, transaction);
        Execute(connection, $"PRAGMA user_version = {SqliteSchema.Version.ToString(CultureInfo.InvariantCulture)};", transaction);
        transaction.Commit();
    }

    private static void Execute(SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }
}
