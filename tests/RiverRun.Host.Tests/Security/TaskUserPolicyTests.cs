using Grpc.Core;
using RiverRun.Host.Security;

namespace RiverRun.Host.Tests.Security;

/// <summary>Which account a submit runs as, for every kind of caller: no task runs as root unless an admin asked.</summary>
public sealed class TaskUserPolicyTests
{
    private static readonly Caller Alice = new("alice", TokenRole.User, null, null, Accounts("alice", "lab"));
    private static readonly Caller Legacy = new("bob", TokenRole.User, null, null);
    private static readonly Caller FirstAdmin = new("admin", TokenRole.Admin, null, null, Accounts("root"));
    private static readonly Caller Ops = new("ops", TokenRole.Admin, null, null, Accounts("ops"));

    [Theory]
    [InlineData("", "alice")]
    [InlineData("alice", "alice")]
    [InlineData("lab", "lab")]
    public void A_user_token_runs_as_its_first_account_or_another_of_its_own(string requested, string expected) =>
        Assert.Equal(expected, TaskUserPolicy.Resolve(Alice, requested));

    [Theory]
    [InlineData("root", "never runs tasks as root ('root'); it may run them as alice, lab")]
    [InlineData("0", "never runs tasks as root ('0')")]
    [InlineData("bob", "may run tasks as alice, lab, not as 'bob'")]
    [InlineData("1000", "may run tasks as alice, lab, not as '1000'")]
    public void A_user_token_is_refused_root_and_accounts_not_its_own_with_the_ones_it_may_use(string requested, string message)
    {
        var refused = Assert.Throws<RpcException>(() => TaskUserPolicy.Resolve(Alice, requested));

        Assert.Equal(StatusCode.PermissionDenied, refused.StatusCode);
        Assert.Contains(message, refused.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_user_token_stored_before_accounts_existed_runs_as_its_own_name_only()
    {
        Assert.Equal("bob", TaskUserPolicy.Resolve(Legacy, ""));
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => TaskUserPolicy.Resolve(Legacy, "root")).StatusCode);
    }

    [Theory]
    [InlineData("", "ops")]
    [InlineData("root", "root")]
    [InlineData("nobody", "nobody")]
    public void An_admin_token_runs_as_any_account_asked_for_and_otherwise_as_its_first(string requested, string expected) =>
        Assert.Equal(expected, TaskUserPolicy.Resolve(Ops, requested));

    [Fact]
    public void The_first_admin_from_init_token_runs_tasks_without_a_user_as_root_and_open_access_keeps_what_was_asked()
    {
        Assert.Equal("root", TaskUserPolicy.Resolve(FirstAdmin, ""));
        Assert.Equal("", TaskUserPolicy.Resolve(Caller.OpenAccess, ""));
        Assert.Equal("nobody", TaskUserPolicy.Resolve(Caller.OpenAccess, "nobody"));
    }

    [Fact]
    public void Viewer_and_runner_tokens_run_no_tasks()
    {
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => TaskUserPolicy.Resolve(new Caller("v", TokenRole.Viewer, null, null), "")).StatusCode);
        Assert.Equal(StatusCode.PermissionDenied, Assert.Throws<RpcException>(() => TaskUserPolicy.Resolve(new Caller("r", TokenRole.Runner, "node1", null), "")).StatusCode);
    }

    [Fact]
    public void Accounts_compare_by_value_and_refuse_root_for_users_duplicates_bad_names_and_too_many()
    {
        Assert.Equal(Accounts("a", "b"), Accounts("a", "b"));
        Assert.NotEqual(Accounts("a", "b"), Accounts("b", "a"));
        Assert.Equal("a,b", Accounts("a", "b").ToString());
        Assert.Equal(Accounts("a", "b"), TaskAccounts.FromStored("a,b"));
        Assert.Null(TaskAccounts.FromStored(""));

        Assert.Equal(["accounts: 'root': a user token never runs tasks as root; only an admin token may (give the user an account of its own)"], Problems(false, "root"));
        Assert.Empty(Problems(true, "root"));
        Assert.Equal(["accounts: an account is named twice"], Problems(false, "a", "a"));
        Assert.Equal(["accounts: name at least one account"], Problems(false));
        Assert.Equal(["accounts: 33 accounts is more than the limit of 32"], Problems(false, [.. Enumerable.Range(0, 33).Select(i => "u" + i)]));
        Assert.Equal(["accounts: 'a?b': user must be a uid or a name of letters, digits, '_', '.' and '-' starting with a letter or '_'"], Problems(false, "a\nb"));
    }

    private static TaskAccounts Accounts(params string[] accounts) =>
        TaskAccounts.Create(accounts, rootAllowed: true, new List<string>()) ?? throw new InvalidOperationException("invalid test accounts");

    private static List<string> Problems(bool rootAllowed, params string[] accounts)
    {
        var problems = new List<string>();
        var created = TaskAccounts.Create(accounts, rootAllowed, problems);
        Assert.Equal(problems.Count == 0, created is not null);
        return problems;
    }
}
