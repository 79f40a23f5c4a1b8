using RiverRun.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// The OS accounts (names or uids) a user or admin token's tasks may run as, in order: a task
/// submitted without a user runs as the first. Compared by value, so that token records holding
/// equal lists are equal.
/// </summary>
public sealed class TaskAccounts : IEquatable<TaskAccounts>
{
    /// <summary>The most accounts one token may carry: enough for a person's lab groups, small enough for one line of `token list`.</summary>
    public const int MaxCount = 32;

    /// <summary>The account that is root on every node, by name and by uid.</summary>
    public static bool IsRoot(string account) => account is "root" or "0";

    private readonly string[] _accounts;

    private TaskAccounts(string[] accounts) => _accounts = accounts;

    /// <summary>The accounts, in order.</summary>
    public IReadOnlyList<string> All => _accounts;

    /// <summary>The account a task without a user runs as.</summary>
    public string Default => _accounts[0];

    /// <summary>Whether <paramref name="account"/> is one of them (exactly: a uid does not match a name).</summary>
    public bool Contains(string account) => _accounts.Contains(account, StringComparer.Ordinal);

    /// <summary>
    /// The accounts in <paramref name="accounts"/> (at least one); null with the reasons in
    /// <paramref name="problems"/> when one is not a valid user name or uid, repeats, or is root
    /// while <paramref name="rootAllowed"/> is false.
    /// </summary>
    public static TaskAccounts? Create(IEnumerable<string> accounts, bool rootAllowed, ICollection<string> problems)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        ArgumentNullException.ThrowIfNull(problems);
        var list = accounts.ToArray();
        var before = problems.Count;
        if (list.Length == 0)
        {
            problems.Add("accounts: name at least one account");
        }
        else if (list.Length > MaxCount)
        {
            problems.Add($"accounts: {list.Length} accounts is more than the limit of {MaxCount}");
        }
        else
        {
            foreach (var account in list)
            {
                if (UserName.Validate(account) is { } error)
                {
                    problems.Add($"accounts: '{Shown(account)}': {error}");
                }
                else if (!rootAllowed && IsRoot(account))
                {
                    problems.Add($"accounts: '{account}': a user token never runs tasks as root; only an admin token may (give the user an account of its own)");
                }
            }

            if (list.Distinct(StringComparer.Ordinal).Count() != list.Length)
            {
                problems.Add("accounts: an account is named twice");
            }
        }

        return problems.Count == before ? new TaskAccounts(list) : null;
    }

    /// <summary>Reads the stored form (see <see cref="ToString"/>); null for an empty one.</summary>
    public static TaskAccounts? FromStored(string stored) =>
        string.IsNullOrEmpty(stored) ? null : new TaskAccounts(stored.Split(','));

    /// <summary>The accounts joined by commas: how they are stored and shown (no account holds a comma).</summary>
    public override string ToString() => string.Join(',', _accounts);

    public bool Equals(TaskAccounts? other) => other is not null && _accounts.SequenceEqual(other._accounts, StringComparer.Ordinal);

    public override bool Equals(object? obj) => Equals(obj as TaskAccounts);

    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    // An invalid account may hold anything (control characters, kilobytes): the message shows a safe prefix.
    private static string Shown(string account) =>
        new(account.Take(40).Select(c => char.IsControl(c) ? '?' : c).ToArray());
}
