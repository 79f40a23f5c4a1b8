using System.Diagnostics.CodeAnalysis;

namespace RiverRun.Core;

/// <summary>
/// The id the Host gives a task: exactly <see cref="Length"/> characters from [a-z0-9].
/// </summary>
/// <remarks>
/// The id ends up in the systemd unit name <c>riverrun-&lt;id&gt;.scope</c>, in file names of the
/// output spool and in URLs, so it is restricted to characters that need no escaping anywhere
/// and to one fixed length (no unit name can be forged by a long or odd "id").
/// New ids come from <see cref="TaskIdGenerator"/>.
/// </remarks>
public sealed class TaskId : IEquatable<TaskId>, IComparable<TaskId>
{
    /// <summary>Every task id has exactly this many characters.</summary>
    public const int Length = 12;

    private TaskId(string value) => Value = value;

    /// <summary>The id's text, e.g. <c>01jv3k8q2m7x</c>.</summary>
    public string Value { get; }

    /// <summary>Parses an id, throwing <see cref="FormatException"/> with the reason when it is not one.</summary>
    public static TaskId Parse(string text)
    {
        return TryParse(text, out var id, out var error) ? id : throw new FormatException(error);
    }

    /// <summary>Parses an id; on failure <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(
        string? text,
        [NotNullWhen(true)] out TaskId? id,
        [NotNullWhen(false)] out string? error)
    {
        id = null;
        if (string.IsNullOrEmpty(text))
        {
            error = "task id is empty";
            return false;
        }

        if (text.Length != Length)
        {
            error = $"task id '{text}' has {text.Length} characters; a task id has exactly {Length} (lowercase letters and digits)";
            return false;
        }

        foreach (var c in text)
        {
            if (!IsIdCharacter(c))
            {
                error = $"task id '{text}' contains '{c}'; a task id has only lowercase letters a-z and digits 0-9";
                return false;
            }
        }

        id = new TaskId(text);
        error = null;
        return true;
    }

    /// <summary>Parses an id, returning null when <paramref name="text"/> is not one.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TaskId? id) => TryParse(text, out id, out _);

    // Internal entry for the generator, which only ever produces valid text.
    internal static TaskId FromTrustedText(string text) => new(text);

    private static bool IsIdCharacter(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9');

    public bool Equals(TaskId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as TaskId);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Ordinal order: ids from one generator sort in the order they were made.</summary>
    public int CompareTo(TaskId? other) => other is null ? 1 : string.CompareOrdinal(Value, other.Value);

    public override string ToString() => Value;

    public static bool operator ==(TaskId? left, TaskId? right) => left is null ? right is null : left.Equals(right);

    public static bool operator !=(TaskId? left, TaskId? right) => !(left == right);

    public static bool operator <(TaskId? left, TaskId? right) => Compare(left, right) < 0;

    public static bool operator <=(TaskId? left, TaskId? right) => Compare(left, right) <= 0;

    public static bool operator >(TaskId? left, TaskId? right) => Compare(left, right) > 0;

    public static bool operator >=(TaskId? left, TaskId? right) => Compare(left, right) >= 0;

    private static int Compare(TaskId? left, TaskId? right) => left is null ? (right is null ? 0 : -1) : left.CompareTo(right);
}
