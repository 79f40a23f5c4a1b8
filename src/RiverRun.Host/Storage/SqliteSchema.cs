namespace RiverRun.Host.Storage;

/// <summary>The SQLite schema, applied on open. Versioned by PRAGMA user_version so a later schema can migrate.</summary>
internal static class SqliteSchema
{
    // 2: tasks.usage (the TaskUsage a Runner reports at exit).
    // 3: tasks.owner (the name of the token that submitted it) and the tokens table.
    // 4: tokens.accounts (the OS accounts a user or admin token's tasks may run as).
    public const int Version = 4;

    /// <summary>What brings a version-1 database to version 2 (run before <see cref="Create"/>'s no-op on it).</summary>
    public const string FromVersion1 = "ALTER TABLE tasks ADD COLUMN usage BLOB NULL;";

    /// <summary>What brings a version-2 database to version 3; the tokens table comes from <see cref="Create"/>.</summary>
    public const string FromVersion2 = "ALTER TABLE tasks ADD COLUMN owner TEXT NOT NULL DEFAULT '';";

    /// <summary>
    /// What brings a version-3 database to version 4. Admin tokens made before accounts existed ran
    /// tasks without a user as root: they keep that default, now written down ('root'); user
    /// tokens keep '' (their own name, as the policy reads it).
    /// </summary>
    public const string FromVersion3 = "ALTER TABLE tokens ADD COLUMN accounts TEXT NOT NULL DEFAULT ''; UPDATE tokens SET accounts = 'root' WHERE role = 1;";

    // Times are UTC ticks (INTEGER): exact, sortable, and free of text-format parsing.
    // seq gives every task a strictly increasing position: FIFO for the scheduler, newest first for
    // listings, and a stable page cursor that does not depend on how ids compare.
    public const string Create = """
        CREATE TABLE IF NOT EXISTS tasks (
            seq          INTEGER PRIMARY KEY AUTOINCREMENT,
            id           TEXT    NOT NULL UNIQUE,
            state        INTEGER NOT NULL,
            node         TEXT    NULL,
            spec         BLOB    NOT NULL,
            target       BLOB    NULL,
            unit         TEXT    NULL,
            exit_code    INTEGER NULL,
            exit_signal  INTEGER NULL,
            reason       TEXT    NOT NULL DEFAULT '',
            created_at   INTEGER NOT NULL,
            started_at   INTEGER NULL,
            finished_at  INTEGER NULL,
            stdout_total INTEGER NULL,
            stderr_total INTEGER NULL,
            usage        BLOB    NULL,
            owner        TEXT    NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS tasks_by_state ON tasks (state, seq);
        CREATE INDEX IF NOT EXISTS tasks_by_node ON tasks (node, seq);
        CREATE TABLE IF NOT EXISTS events (
            seq        INTEGER PRIMARY KEY AUTOINCREMENT,
            task_id    TEXT    NOT NULL,
            from_state INTEGER NULL,
            to_state   INTEGER NOT NULL,
            at         INTEGER NOT NULL,
            reason     TEXT    NOT NULL DEFAULT ''
        );
        CREATE INDEX IF NOT EXISTS events_by_task ON events (task_id, seq);
        CREATE TABLE IF NOT EXISTS nodes (
            name            TEXT    PRIMARY KEY,
            capacity_cores  REAL    NOT NULL,
            capacity_memory INTEGER NOT NULL,
            registration    BLOB    NOT NULL,
            registered_at   INTEGER NOT NULL
        );
        CREATE TABLE IF NOT EXISTS tokens (
            name        TEXT    PRIMARY KEY,
            hash        BLOB    NOT NULL UNIQUE,
            role        INTEGER NOT NULL,
            node        TEXT    NULL,
            expires_at  INTEGER NULL,
            created_at  INTEGER NOT NULL,
            accounts    TEXT    NOT NULL DEFAULT ''
        );
        """;
}
