namespace RiverRun.Core.Tests;

public class PlacementPolicyTests
{
    private const long G = 1L << 30;

    private static NodeSnapshot Node(string name, double cores, long memoryG, double usedCores = 0, long usedG = 0, bool connected = true) =>
        new(name, connected, new Resources(cores, memoryG * G), new Resources(usedCores, usedG * G));

    private static Resources Ask(double cores, long memoryG = 0) => new(cores, memoryG * G);

    [Fact]
    public void A_targeted_task_is_placed_on_its_node_when_it_has_room()
    {
        var nodes = new[] { Node("node1", 4, 8), Node("node2", 32, 64) };

        var decision = PlacementPolicy.Decide(Ask(2, 4), TargetSelector.Parse("node1"), nodes);

        Assert.Equal(new PlacementDecision.Placed("node1"), decision);
    }

    [Fact]
    public void A_targeted_task_waits_while_its_node_is_full_even_if_others_are_free()
    {
        var nodes = new[] { Node("node1", 4, 8, usedCores: 3), Node("node2", 32, 64) };

        var decision = PlacementPolicy.Decide(Ask(2), TargetSelector.Parse("node1"), nodes);

        var wait = Assert.IsType<PlacementDecision.Wait>(decision);
        Assert.Contains("node1", wait.Reason, StringComparison.Ordinal);
        Assert.Contains("1 core", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_targeted_task_waits_while_its_node_is_disconnected()
    {
        var nodes = new[] { Node("node1", 4, 8, connected: false) };

        var decision = PlacementPolicy.Decide(Ask(1), TargetSelector.Parse("node1:0"), nodes);

        var wait = Assert.IsType<PlacementDecision.Wait>(decision);
        Assert.Contains("not connected", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_targeted_task_waits_for_a_node_that_has_not_registered()
    {
        var decision = PlacementPolicy.Decide(Ask(1), TargetSelector.Parse("node9"), [Node("node1", 4, 8)]);

        var wait = Assert.IsType<PlacementDecision.Wait>(decision);
        Assert.Contains("'node9'", wait.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(8, 0, "8 cores")]
    [InlineData(1, 16, "16G")]
    public void A_targeted_task_larger_than_its_whole_node_never_fits(double cores, long memoryG, string named)
    {
        var nodes = new[] { Node("node1", 4, 8, connected: false), Node("node2", 64, 256) };

        var decision = PlacementPolicy.Decide(Ask(cores, memoryG), TargetSelector.Parse("node1"), nodes);

        var never = Assert.IsType<PlacementDecision.NeverFits>(decision);
        Assert.Contains(named, never.Reason, StringComparison.Ordinal);
        Assert.Contains("node1", never.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Node_names_match_exactly()
    {
        var nodes = new[] { Node("Node1", 4, 8) };

        var decision = PlacementPolicy.Decide(Ask(1), TargetSelector.Parse("node1"), nodes);

        Assert.IsType<PlacementDecision.Wait>(decision);
    }

    [Fact]
    public void An_untargeted_task_goes_to_the_connected_node_with_the_most_free_cores()
    {
        var nodes = new[]
        {
            Node("a", 8, 16, usedCores: 6),
            Node("b", 8, 16, usedCores: 2),
            Node("c", 16, 16, usedCores: 12),
            Node("d", 64, 64, connected: false),
        };

        Assert.Equal(new PlacementDecision.Placed("b"), PlacementPolicy.Decide(Ask(1, 1), null, nodes));
    }

    [Fact]
    public void Equal_free_cores_are_decided_by_free_memory_then_by_name()
    {
        var byMemory = new[] { Node("a", 4, 8), Node("b", 4, 16), Node("c", 4, 12) };
        var byName = new[] { Node("c", 4, 8), Node("a", 4, 8), Node("b", 4, 8) };

        Assert.Equal(new PlacementDecision.Placed("b"), PlacementPolicy.Decide(Ask(1), null, byMemory));
        Assert.Equal(new PlacementDecision.Placed("a"), PlacementPolicy.Decide(Ask(1), null, byName));
    }

    [Fact]
    public void The_same_node_wins_whatever_order_the_nodes_come_in()
    {
        // Ties on cores (b, c, d) and on cores and memory (c, d); e has the most room but is down.
        var nodes = new[]
        {
            Node("a", 4, 64), Node("d", 8, 16), Node("b", 8, 8), Node("c", 8, 16), Node("e", 16, 64, connected: false),
        };

        for (var shift = 0; shift < nodes.Length; shift++)
        {
            var rotated = nodes.Skip(shift).Concat(nodes.Take(shift)).ToArray();
            Assert.Equal(new PlacementDecision.Placed("c"), PlacementPolicy.Decide(Ask(1), null, rotated));
            Assert.Equal(new PlacementDecision.Placed("c"), PlacementPolicy.Decide(Ask(1), null, rotated.Reverse().ToArray()));
        }
    }

    [Fact]
    public void An_untargeted_task_skips_nodes_where_it_does_not_fit()
    {
        // "big" has the most free cores but not the memory the task asks for.
        var nodes = new[] { Node("big", 32, 4), Node("small", 4, 32) };

        Assert.Equal(new PlacementDecision.Placed("small"), PlacementPolicy.Decide(Ask(2, 8), null, nodes));
    }

    [Fact]
    public void A_task_asking_nothing_fits_even_an_overcommitted_node()
    {
        var nodes = new[] { Node("node1", 4, 8, usedCores: 6, usedG: 10) };

        Assert.Equal(new PlacementDecision.Placed("node1"), PlacementPolicy.Decide(Resources.None, null, nodes));
        Assert.Equal(
            new PlacementDecision.Placed("node1"),
            PlacementPolicy.Decide(Resources.None, TargetSelector.Parse("node1"), nodes));
    }

    [Fact]
    public void An_untargeted_task_waits_while_every_connected_node_is_busy()
    {
        var nodes = new[] { Node("a", 4, 8, usedCores: 4), Node("b", 4, 8, usedG: 8) };

        var decision = PlacementPolicy.Decide(Ask(1, 1), null, nodes);

        var wait = Assert.IsType<PlacementDecision.Wait>(decision);
        Assert.Contains("no connected node has", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void An_untargeted_task_waits_for_a_big_enough_node_that_is_down()
    {
        var nodes = new[] { Node("small", 2, 4), Node("big", 64, 256, connected: false) };

        var decision = PlacementPolicy.Decide(Ask(16), null, nodes);

        Assert.IsType<PlacementDecision.Wait>(decision);
    }

    [Fact]
    public void An_untargeted_task_larger_than_every_node_never_fits()
    {
        var nodes = new[] { Node("a", 8, 16), Node("b", 4, 64, connected: false) };

        var decision = PlacementPolicy.Decide(Ask(8, 32), null, nodes);

        var never = Assert.IsType<PlacementDecision.NeverFits>(decision);
        Assert.Contains("8 cores, 32G memory", never.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_no_nodes_a_task_waits()
    {
        var wait = Assert.IsType<PlacementDecision.Wait>(PlacementPolicy.Decide(Ask(1), null, []));

        Assert.Contains("no node has registered", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void With_only_disconnected_nodes_an_untargeted_task_waits_saying_so()
    {
        var wait = Assert.IsType<PlacementDecision.Wait>(
            PlacementPolicy.Decide(Ask(1), null, [Node("a", 4, 8, connected: false)]));

        Assert.Equal("no node is connected", wait.Reason);
    }

    [Theory]
    [InlineData(0, 32)]
    [InlineData(2, 32)]
    [InlineData(8, 32)]
    [InlineData(9, 36)]
    [InlineData(64, 256)]
    [InlineData(0.5, 32)]
    public void A_node_is_handed_at_most_four_tasks_to_start_per_core_and_at_least_32(double cores, int limit)
    {
        Assert.Equal(limit, PlacementPolicy.StartingLimit(new Resources(cores, G)));
    }

    [Fact]
    public void Zero_core_tasks_go_to_the_next_node_once_the_roomiest_is_starting_as_many_as_it_may()
    {
        var busy = Node("node1", 2, 8) with { Starting = 32 };
        var nodes = new[] { busy, Node("node2", 2, 8) with { Starting = 31 } };

        Assert.Equal(new PlacementDecision.Placed("node2"), PlacementPolicy.Decide(Ask(0), null, nodes));
    }

    [Fact]
    public void An_untargeted_task_waits_while_every_node_with_room_is_starting_as_many_as_it_may_saying_so()
    {
        var nodes = new[] { Node("node1", 2, 8) with { Starting = 32 }, Node("node2", 2, 8) with { Starting = 40 } };

        var wait = Assert.IsType<PlacementDecision.Wait>(PlacementPolicy.Decide(Ask(0), null, nodes));

        Assert.Contains("starting as many tasks as it may", wait.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_targeted_task_waits_while_its_node_is_starting_as_many_as_it_may_naming_how_many()
    {
        var nodes = new[] { Node("node1", 2, 8) with { Starting = 32 }, Node("node2", 2, 8) };

        var wait = Assert.IsType<PlacementDecision.Wait>(PlacementPolicy.Decide(Ask(0), TargetSelector.Parse("node1"), nodes));

        Assert.Equal("node 'node1' is starting 32 tasks already; the task waits until some of them run", wait.Reason);
    }

    [Fact]
    public void A_node_snapshot_reports_what_is_left_free()
    {
        Assert.Equal(new Resources(1.5, 6 * G), Node("a", 4, 8, usedCores: 2.5, usedG: 2).Free);
    }
}
