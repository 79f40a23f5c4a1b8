using RiverRun.Host.Security;

namespace RiverRun.Host.Tests.Security;

public sealed class TaskAccessTests
{
    private static readonly Caller Alice = new("alice", TokenRole.User, null, null);
    private static readonly Caller Admin = new("root-admin", TokenRole.Admin, null, null);
    private static readonly Caller Viewer = new("monitor", TokenRole.Viewer, null, null);
    private static readonly Caller Node2 = new("node2-runner", TokenRole.Runner, "node2", null);

    [Fact]
    public void A_user_reads_and_controls_its_own_tasks_and_not_anothers()
    {
        Assert.True(TaskAccess.MayRead(Alice, "alice"));
        Assert.True(TaskAccess.MayControl(Alice, "alice"));
        Assert.False(TaskAccess.MayRead(Alice, "bob"));
        Assert.False(TaskAccess.MayControl(Alice, "bob"));
    }

    [Fact]
    public void Tasks_from_before_tokens_have_no_owner_and_only_admins_control_them()
    {
        Assert.False(TaskAccess.MayControl(Alice, string.Empty));
        Assert.False(TaskAccess.MayRead(Alice, string.Empty));
        Assert.True(TaskAccess.MayControl(Admin, string.Empty));
        Assert.True(TaskAccess.MayControl(Caller.OpenAccess, string.Empty));
    }

    [Fact]
    public void A_viewer_reads_every_task_and_controls_none()
    {
        Assert.True(TaskAccess.MayRead(Viewer, "bob"));
        Assert.False(TaskAccess.MayControl(Viewer, "monitor"));
    }

    [Fact]
    public void A_runner_token_reads_and_controls_no_task()
    {
        Assert.False(TaskAccess.MayRead(Node2, "node2-runner"));
        Assert.False(TaskAccess.MayControl(Node2, "node2-runner"));
    }

    [Theory]
    [InlineData("node2", true)]
    [InlineData("node2-gpu0", true)]
    [InlineData("node2-a", true)]
    [InlineData("node1", false)]
    [InlineData("node20", false)]
    [InlineData("node2-", false)]
    [InlineData("NODE2", false)]
    [InlineData("xnode2", false)]
    public void A_runner_token_registers_only_as_its_node_or_that_nodes_instances(string node, bool allowed) =>
        Assert.Equal(allowed, TaskAccess.MayRegisterAs(Node2, node));

    [Fact]
    public void Users_viewers_and_unbound_runner_tokens_register_no_node_and_admins_any()
    {
        Assert.False(TaskAccess.MayRegisterAs(Alice, "node1"));
        Assert.False(TaskAccess.MayRegisterAs(Viewer, "node1"));
        Assert.False(TaskAccess.MayRegisterAs(Node2 with { Node = null }, "node2"));
        Assert.True(TaskAccess.MayRegisterAs(Admin, "node7"));
    }
}
