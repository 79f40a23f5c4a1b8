using Microsoft.Data.Sqlite;
using RiverRun.Host.Security;

namespace RiverRun.Host.Storage;

/// <summary>
/// The tokens table of the Host's database: names, roles, bindings and the SHA-256 of each secret
/// (never the secret). Opened by the Host and by <c>riverrun init token</c> on the Host's machine.
/// </summary>
/// <remarks>
/// Every call reads the table again: a token revoked or created by another process (init token
/// beside a running Host) counts at the next call, and the read is one indexed row.
/// </remarks>
public sealed class SqliteTokenStore : IDisposable
{
    private readonly SerializedConnection _database;

    /// <summary>Opens (creating and migrating when needed) the database in <paramref name="dataDirectory"/>.</summary>
    public SqliteTokenStore(string dataDirectory)
    {
        _database = new SerializedConnection(dataDirectory);
    }

    /// <summary>Stores a new token; false (and nothing changed) when its name is taken.</summary>
    public Task<bool> TryCreateAsync(TokenRecord token, byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(hash);
        return RunAsync(() =>
        {
            using var insert = Command(
                "INSERT INTO tokens (name, hash, role, node, expires_at, created_at, accounts) VALUES ($name, $hash, $role, $node, $expires_at, $created_at, $accounts) ON CONFLICT (name) DO NOTHING");
            insert.Parameters.AddWithValue("$name", token.Name);
            insert.Parameters.AddWithValue("$hash", hash);
            insert.Parameters.AddWithValue("$role", (int)token.Role);
            insert.Parameters.AddWithValue("$node", (object?)token.Node ?? DBNull.Value);
            insert.Parameters.AddWithValue("$expires_at", (object?)token.ExpiresAt?.UtcTicks ?? DBNull.Value);
            insert.Parameters.AddWithValue("$created_at", token.CreatedAt.UtcTicks);
            insert.Parameters.AddWithValue("$accounts", token.Accounts?.ToString() ?? string.Empty);
            return insert.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>The token whose secret hashes to <paramref name="hash"/>; null when there is none.</summary>
    public Task<TokenRecord?> FindAsync(byte[] hash, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return RunAsync(() =>
        {
            using var select = Command("SELECT name, role, node, expires_at, created_at, accounts, hash FROM tokens WHERE hash = $hash");
            select.Parameters.AddWithValue("$hash", hash);
            using var reader = select.ExecuteReader();
            // The index lookup compares hashes, not secrets, so its timing tells nothing about a
            // secret; the fixed-time comparison keeps the final check free of early exits anyway.
            return reader.Read() && TokenSecret.HashesEqual(reader.GetFieldValue<byte[]>(6), hash) ? ReadToken(reader) : null;
        }, cancellationToken);
    }

    /// <summary>Every token, by name.</summary>
    public Task<IReadOnlyList<TokenRecord>> ListAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<TokenRecord>>(() =>
        {
            using var select = Command("SELECT name, role, node, expires_at, created_at, accounts FROM tokens ORDER BY name");
            using var reader = select.ExecuteReader();
            var tokens = new List<TokenRecord>();
            while (reader.Read())
            {
                tokens.Add(ReadToken(reader));
            }

            return tokens;
        }, cancellationToken);

    /// <summary>Deletes the token named <paramref name="name"/>; false when there is none.</summary>
    public Task<bool> RevokeAsync(string name, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return RunAsync(() =>
        {
            using var delete = Command("DELETE FROM tokens WHERE name = $name");
            delete.Parameters.AddWithValue("$name", name);
            return delete.ExecuteNonQuery() == 1;
        }, cancellationToken);
    }

    /// <summary>Whether any token exists: until one does, the Host grants open access.</summary>
    public Task<bool> AnyAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            using var select = Command("SELECT EXISTS (SELECT 1 FROM tokens)");
            return Convert.ToInt64(select.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) != 0;
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private static TokenRecord ReadToken(SqliteDataReader reader) => new(
        reader.GetString(0),
        (TokenRole)reader.GetInt32(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.IsDBNull(3) ? null : new DateTimeOffset(reader.GetInt64(3), TimeSpan.Zero),
        new DateTimeOffset(reader.GetInt64(4), TimeSpan.Zero),
        TaskAccounts.FromStored(reader.GetString(5)));

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) => _database.RunAsync(work, cancellationToken);

    private SqliteCommand Command(string sql) => _database.Command(sql);
}
