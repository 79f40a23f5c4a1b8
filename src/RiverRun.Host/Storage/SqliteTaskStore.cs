using System.Globalization;
using Google.Protobuf;
using Microsoft.Data.Sqlite;
using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Storage;

/// <summary>
/// <see cref="ITaskStore"/> on one SQLite file in WAL mode with synchronous=FULL, so a committed
/// change survives a crash or power loss before anyone is told about it.
/// </summary>
/// <remarks>
/// One connection serves every call, one call at a time. Microsoft.Data.Sqlite executes
/// synchronously anyway, and a single writer can never hit SQLITE_BUSY; output bytes never pass
/// through here. Writes that arrive together share one commit (see <see cref="SerializedConnection"/>),
/// so many clients submitting at once pay one fsync per batch, not one each; each write is still
/// durable before its caller hears of it.
/// </remarks>
public sealed class SqliteTaskStore : ITaskStore, IDisposable
{
    /// <summary>The database file's name inside the data directory.</summary>
    public const string FileName = SqliteDatabase.FileName;

    private const string TaskColumns =
        "seq, id, state, node, spec, target, unit, exit_code, exit_signal, reason, created_at, started_at, finished_at, stdout_total, stderr_total, usage, owner";

    // The final states as SQL integers; from the enum, so a new final state is included by itself.
    private static readonly string FinalStates = string.Join(", ",
        Enum.GetValues<TaskState>().Where(state => state.IsFinal()).Select(state => ((int)state).ToString(CultureInfo.InvariantCulture)));

    private readonly SerializedConnection _database;
    private readonly TimeProvider _clock;

    /// <summary>Opens (creating when needed) <see cref="FileName"/> in <paramref name="dataDirectory"/>.</summary>
    public SqliteTaskStore(string dataDirectory, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(dataDirectory);
        ArgumentNullException.ThrowIfNull(clock);
        _clock = clock;
        _database = new SerializedConnection(dataDirectory);
    }

    /// <inheritdoc />
    public Task InsertAsync(IReadOnlyList<TaskRecord> tasks, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        return _database.WriteAsync(transaction =>
        {
            foreach (var task in tasks)
            {
                if (task.State != TaskState.Queued)
                {
                    throw new InvalidOperationException($"task {task.Id} must be created QUEUED, not {task.State.ToDisplayName()}");
                }

                var insert = Prepared(
                    $"INSERT INTO tasks ({TaskColumns}) VALUES (NULL, $id, $state, $node, $spec, $target, $unit, $exit_code, $exit_signal, $reason, $created_at, $started_at, $finished_at, $stdout_total, $stderr_total, $usage, $owner)",
                    transaction);
                BindTask(insert, task);
                insert.ExecuteNonQuery();
                InsertEvent(transaction, task.Id, from: null, task.State, task.CreatedAt, task.Reason);
            }

            return true;
        });
    }

    /// <inheritdoc />
    public Task<TaskRecord?> GetAsync(TaskId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync(() =>
        {
            var select = Prepared($"SELECT {TaskColumns} FROM tasks WHERE id = $id");
            select.Parameters.AddWithValue("$id", id.Value);
            using var reader = select.ExecuteReader();
            return reader.Read() ? ReadTask(reader) : null;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<bool> TryUpdateAsync(TaskRecord updated, TaskState expectedState, string reason, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(updated);
        ArgumentNullException.ThrowIfNull(reason);
        if (expectedState.IsFinal())
        {
            throw new InvalidOperationException($"task {updated.Id} is {expectedState.ToDisplayName()}, a final state; it cannot change");
        }

        if (updated.State != expectedState)
        {
            TaskStateMachine.EnsureTransition(expectedState, updated.State);
        }

        return _database.WriteAsync(transaction =>
        {
            var update = Prepared(
                """
                UPDATE tasks SET state = $state, node = $node, spec = $spec, target = $target, unit = $unit,
                    exit_code = $exit_code, exit_signal = $exit_signal, reason = $reason, created_at = $created_at,
                    started_at = $started_at, finished_at = $finished_at, stdout_total = $stdout_total, stderr_total = $stderr_total,
                    usage = $usage
                WHERE id = $id AND state = $expected
                """,
                transaction);
            BindTask(update, updated);
            update.Parameters.AddWithValue("$expected", (int)expectedState);
            if (update.ExecuteNonQuery() == 0)
            {
                return false;
            }

            if (updated.State != expectedState)
            {
                InsertEvent(transaction, updated.Id, expectedState, updated.State, _clock.GetUtcNow(), reason);
            }

            return true;
        });
    }

    /// <inheritdoc />
    public Task<TaskPage> ListAsync(TaskQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.PageSize, 1);
        return RunAsync(() =>
        {
            var conditions = new List<string>();
            using var select = Command(string.Empty);
            if (query.States.Count > 0)
            {
                var names = new List<string>();
                var i = 0;
                foreach (var state in query.States.Distinct())
                {
                    var name = "$s" + i.ToString(CultureInfo.InvariantCulture);
                    select.Parameters.AddWithValue(name, (int)state);
                    names.Add(name);
                    i++;
                }

                conditions.Add($"state IN ({string.Join(", ", names)})");
            }

            if (query.Node is not null)
            {
                conditions.Add("node = $node");
                select.Parameters.AddWithValue("$node", query.Node);
            }

            if (query.After is { } after)
            {
                conditions.Add("seq < $after");
                select.Parameters.AddWithValue("$after", after);
            }

            var where = conditions.Count == 0 ? string.Empty : "WHERE " + string.Join(" AND ", conditions);
            // One row more than asked tells whether another page exists without a COUNT.
            select.CommandText = $"SELECT {TaskColumns} FROM tasks {where} ORDER BY seq DESC LIMIT $limit";
            select.Parameters.AddWithValue("$limit", query.PageSize + 1);
            var tasks = new List<TaskRecord>();
            var sequences = new List<long>();
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    sequences.Add(reader.GetInt64(0));
                    tasks.Add(ReadTask(reader));
                }
            }

            if (tasks.Count <= query.PageSize)
            {
                return new TaskPage(tasks, null);
            }

            tasks.RemoveAt(tasks.Count - 1);
            return new TaskPage(tasks, sequences[query.PageSize - 1]);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskRecord>> ListActiveAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<TaskRecord>>(() =>
        {
            var select = Prepared($"SELECT {TaskColumns} FROM tasks WHERE state IN ($q, $a, $r, $p) ORDER BY seq");
            select.Parameters.AddWithValue("$q", (int)TaskState.Queued);
            select.Parameters.AddWithValue("$a", (int)TaskState.Assigned);
            select.Parameters.AddWithValue("$r", (int)TaskState.Running);
            select.Parameters.AddWithValue("$p", (int)TaskState.Paused);
            using var reader = select.ExecuteReader();
            var tasks = new List<TaskRecord>();
            while (reader.Read())
            {
                tasks.Add(ReadTask(reader));
            }

            return tasks;
        }, cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<TaskTransition>> ListTransitionsAsync(TaskId id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return RunAsync<IReadOnlyList<TaskTransition>>(() =>
        {
            using var select = Command("SELECT from_state, to_state, at, reason FROM events WHERE task_id = $id ORDER BY seq");
            select.Parameters.AddWithValue("$id", id.Value);
            using var reader = select.ExecuteReader();
            var transitions = new List<TaskTransition>();
            while (reader.Read())
            {
                transitions.Add(new TaskTransition(
                    id,
                    reader.IsDBNull(0) ? null : (TaskState)reader.GetInt32(0),
                    (TaskState)reader.GetInt32(1),
                    FromTicks(reader.GetInt64(2)),
                    reader.GetString(3)));
            }

            return transitions;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<FinishedTaskPage> ListFinishedAsync(long? after, int pageSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        return RunAsync(() =>
        {
            // Walks the primary key backwards: no sort, and a page costs the same at any depth.
            using var select = Command(
                $"""
                SELECT seq, id, finished_at, COALESCE(stdout_total, 0) + COALESCE(stderr_total, 0) FROM tasks
                WHERE seq < $after AND state IN ({FinalStates}) AND finished_at IS NOT NULL
                ORDER BY seq DESC LIMIT $limit
                """);
            select.Parameters.AddWithValue("$after", after ?? long.MaxValue);
            select.Parameters.AddWithValue("$limit", pageSize);
            var tasks = new List<FinishedTaskSummary>();
            long last = 0;
            using (var reader = select.ExecuteReader())
            {
                while (reader.Read())
                {
                    last = reader.GetInt64(0);
                    tasks.Add(new FinishedTaskSummary(TaskId.Parse(reader.GetString(1)), FromTicks(reader.GetInt64(2)), reader.GetInt64(3)));
                }
            }

            return new FinishedTaskPage(tasks, tasks.Count < pageSize ? null : last);
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task<int> DeleteFinishedAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return _database.WriteAsync(transaction =>
        {
            using var deleteTask = Command($"DELETE FROM tasks WHERE id = $id AND state IN ({FinalStates})", transaction);
            var taskId = deleteTask.Parameters.Add("$id", SqliteType.Text);
            using var deleteEvents = Command("DELETE FROM events WHERE task_id = $id", transaction);
            var eventsId = deleteEvents.Parameters.Add("$id", SqliteType.Text);
            var removed = 0;
            foreach (var id in ids)
            {
                taskId.Value = id.Value;
                if (deleteTask.ExecuteNonQuery() == 0)
                {
                    continue;
                }

                eventsId.Value = id.Value;
                deleteEvents.ExecuteNonQuery();
                removed++;
            }

            return removed;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlySet<TaskId>> FindExistingAsync(IReadOnlyCollection<TaskId> ids, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(ids);
        return RunAsync<IReadOnlySet<TaskId>>(() =>
        {
            var select = Prepared("SELECT 1 FROM tasks WHERE id = $id");
            var parameter = select.Parameters.Add("$id", SqliteType.Text);
            var existing = new HashSet<TaskId>();
            foreach (var id in ids)
            {
                parameter.Value = id.Value;
                if (select.ExecuteScalar() is not null)
                {
                    existing.Add(id);
                }
            }

            return existing;
        }, cancellationToken);
    }

    /// <inheritdoc />
    public Task SaveNodeAsync(NodeRecord node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        return _database.WriteAsync(transaction =>
        {
            var upsert = Prepared(
                """
                INSERT INTO nodes (name, capacity_cores, capacity_memory, registration, registered_at)
                VALUES ($name, $cores, $memory, $registration, $at)
                ON CONFLICT (name) DO UPDATE SET capacity_cores = excluded.capacity_cores,
                    capacity_memory = excluded.capacity_memory, registration = excluded.registration,
                    registered_at = excluded.registered_at
                """,
                transaction);
            upsert.Parameters.AddWithValue("$name", node.Name);
            upsert.Parameters.AddWithValue("$cores", node.Capacity.Cores);
            upsert.Parameters.AddWithValue("$memory", node.Capacity.MemoryBytes);
            upsert.Parameters.AddWithValue("$registration", node.Registration.ToByteArray());
            upsert.Parameters.AddWithValue("$at", node.RegisteredAt.UtcTicks);
            upsert.ExecuteNonQuery();
            return true;
        });
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NodeRecord>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        RunAsync<IReadOnlyList<NodeRecord>>(() =>
        {
            using var select = Command("SELECT name, capacity_cores, capacity_memory, registration, registered_at FROM nodes ORDER BY name");
            using var reader = select.ExecuteReader();
            var nodes = new List<NodeRecord>();
            while (reader.Read())
            {
                nodes.Add(new NodeRecord(
                    reader.GetString(0),
                    new Resources(reader.GetDouble(1), reader.GetInt64(2)),
                    V1.Register.Parser.ParseFrom(reader.GetFieldValue<byte[]>(3)),
                    FromTicks(reader.GetInt64(4))));
            }

            return nodes;
        }, cancellationToken);

    /// <inheritdoc />
    public Task CheckAsync(CancellationToken cancellationToken = default) =>
        RunAsync(() =>
        {
            // Reads the schema through the connection every call uses: proves the file is open and readable.
            using var select = Command("SELECT count(*) FROM sqlite_master");
            return select.ExecuteScalar();
        }, cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _database.Dispose();

    private Task<T> RunAsync<T>(Func<T> work, CancellationToken cancellationToken) => _database.RunAsync(work, cancellationToken);

    private SqliteCommand Command(string sql, SqliteTransaction? transaction = null) => _database.Command(sql, transaction);

    // For the statements every task runs through: compiled once per connection (see SerializedConnection.Prepared).
    private SqliteCommand Prepared(string sql, SqliteTransaction? transaction = null) => _database.Prepared(sql, transaction);

    private void InsertEvent(SqliteTransaction transaction, TaskId id, TaskState? from, TaskState to, DateTimeOffset at, string reason)
    {
        var insert = Prepared(
            "INSERT INTO events (task_id, from_state, to_state, at, reason) VALUES ($id, $from, $to, $at, $reason)",
            transaction);
        insert.Parameters.AddWithValue("$id", id.Value);
        insert.Parameters.AddWithValue("$from", from is { } f ? (int)f : DBNull.Value);
        insert.Parameters.AddWithValue("$to", (int)to);
        insert.Parameters.AddWithValue("$at", at.UtcTicks);
        insert.Parameters.AddWithValue("$reason", reason);
        insert.ExecuteNonQuery();
    }

    private static void BindTask(SqliteCommand command, TaskRecord task)
    {
        command.Parameters.AddWithValue("$id", task.Id.Value);
        command.Parameters.AddWithValue("$state", (int)task.State);
        command.Parameters.AddWithValue("$node", (object?)task.Node ?? DBNull.Value);
        command.Parameters.AddWithValue("$spec", task.Spec.ToByteArray());
        command.Parameters.AddWithValue("$target", task.Target is { } target ? target.ToByteArray() : DBNull.Value);
        command.Parameters.AddWithValue("$unit", (object?)task.Unit ?? DBNull.Value);
        command.Parameters.AddWithValue("$exit_code", (object?)task.ExitCode ?? DBNull.Value);
        command.Parameters.AddWithValue("$exit_signal", (object?)task.ExitSignal ?? DBNull.Value);
        command.Parameters.AddWithValue("$reason", task.Reason);
        command.Parameters.AddWithValue("$created_at", task.CreatedAt.UtcTicks);
        command.Parameters.AddWithValue("$started_at", (object?)task.StartedAt?.UtcTicks ?? DBNull.Value);
        command.Parameters.AddWithValue("$finished_at", (object?)task.FinishedAt?.UtcTicks ?? DBNull.Value);
        command.Parameters.AddWithValue("$stdout_total", (object?)task.StdoutTotal ?? DBNull.Value);
        command.Parameters.AddWithValue("$stderr_total", (object?)task.StderrTotal ?? DBNull.Value);
        command.Parameters.AddWithValue("$usage", task.Usage is { } usage ? usage.ToByteArray() : DBNull.Value);
        command.Parameters.AddWithValue("$owner", task.Owner);
    }

    // Column order is TaskColumns'.
    private static TaskRecord ReadTask(SqliteDataReader reader) => new()
    {
        Id = TaskId.Parse(reader.GetString(1)),
        State = (TaskState)reader.GetInt32(2),
        Node = reader.IsDBNull(3) ? null : reader.GetString(3),
        Spec = V1.TaskSpec.Parser.ParseFrom(reader.GetFieldValue<byte[]>(4)),
        Target = reader.IsDBNull(5) ? null : V1.TargetSelector.Parser.ParseFrom(reader.GetFieldValue<byte[]>(5)),
        Unit = reader.IsDBNull(6) ? null : reader.GetString(6),
        ExitCode = reader.IsDBNull(7) ? null : reader.GetInt32(7),
        ExitSignal = reader.IsDBNull(8) ? null : reader.GetInt32(8),
        Reason = reader.GetString(9),
        CreatedAt = FromTicks(reader.GetInt64(10)),
        StartedAt = reader.IsDBNull(11) ? null : FromTicks(reader.GetInt64(11)),
        FinishedAt = reader.IsDBNull(12) ? null : FromTicks(reader.GetInt64(12)),
        StdoutTotal = reader.IsDBNull(13) ? null : reader.GetInt64(13),
        StderrTotal = reader.IsDBNull(14) ? null : reader.GetInt64(14),
        Usage = reader.IsDBNull(15) ? null : V1.TaskUsage.Parser.ParseFrom(reader.GetFieldValue<byte[]>(15)),
        Owner = reader.GetString(16),
    };

    private static DateTimeOffset FromTicks(long ticks) => new(ticks, TimeSpan.Zero);
}
