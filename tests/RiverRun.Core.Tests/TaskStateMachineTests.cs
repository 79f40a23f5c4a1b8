namespace RiverRun.Core.Tests;

public class TaskStateMachineTests
{
    private static readonly TaskState[] FinalStates =
    [
        TaskState.Succeeded, TaskState.Failed, TaskState.Killed, TaskState.OomKilled, TaskState.TimedOut,
        TaskState.Cancelled, TaskState.Lost, TaskState.LaunchFailed,
    ];

    public static TheoryData<TaskState, TaskState> AllowedTransitions => new()
    {
        { TaskState.Queued, TaskState.Assigned },
        { TaskState.Queued, TaskState.Cancelled },
        { TaskState.Queued, TaskState.Lost },
        { TaskState.Assigned, TaskState.Running },
        { TaskState.Assigned, TaskState.Queued },
        { TaskState.Assigned, TaskState.LaunchFailed },
        { TaskState.Assigned, TaskState.Cancelled },
        { TaskState.Assigned, TaskState.Lost },
        { TaskState.Assigned, TaskState.Succeeded },
        { TaskState.Assigned, TaskState.Failed },
        { TaskState.Assigned, TaskState.Killed },
        { TaskState.Assigned, TaskState.OomKilled },
        { TaskState.Assigned, TaskState.TimedOut },
        { TaskState.Running, TaskState.Paused },
        { TaskState.Running, TaskState.Succeeded },
        { TaskState.Running, TaskState.Failed },
        { TaskState.Running, TaskState.Killed },
        { TaskState.Running, TaskState.OomKilled },
        { TaskState.Running, TaskState.TimedOut },
        { TaskState.Running, TaskState.Lost },
        { TaskState.Paused, TaskState.Running },
        { TaskState.Paused, TaskState.Succeeded },
        { TaskState.Paused, TaskState.Failed },
        { TaskState.Paused, TaskState.Killed },
        { TaskState.Paused, TaskState.OomKilled },
        { TaskState.Paused, TaskState.TimedOut },
        { TaskState.Paused, TaskState.Lost },
    };

    [Theory]
    [MemberData(nameof(AllowedTransitions))]
    public void Transitions_of_the_task_life_are_allowed(TaskState from, TaskState to)
    {
        Assert.True(TaskStateMachine.CanTransition(from, to));
        Assert.True(from.CanTransitionTo(to));
        Assert.True(TaskStateMachine.TryValidateTransition(from, to, out var error));
        Assert.Null(error);
    }

    [Fact]
    public void Every_transition_not_in_the_task_life_is_refused()
    {
        var allowed = AllowedTransitions.Select(row => (row.Data.Item1, row.Data.Item2)).ToHashSet();

        foreach (var from in Enum.GetValues<TaskState>())
        {
            foreach (var to in Enum.GetValues<TaskState>())
            {
                Assert.Equal(allowed.Contains((from, to)), TaskStateMachine.CanTransition(from, to));
            }
        }
    }

    [Theory]
    [InlineData(TaskState.Running, TaskState.Cancelled)]
    [InlineData(TaskState.Paused, TaskState.Cancelled)]
    public void A_task_that_has_run_cannot_be_cancelled(TaskState from, TaskState to)
    {
        Assert.False(TaskStateMachine.CanTransition(from, to));
    }

    [Theory]
    [InlineData(TaskState.Queued, TaskState.Running)]
    [InlineData(TaskState.Queued, TaskState.LaunchFailed)]
    [InlineData(TaskState.Running, TaskState.LaunchFailed)]
    [InlineData(TaskState.Running, TaskState.Queued)]
    [InlineData(TaskState.Assigned, TaskState.Paused)]
    public void Skipping_a_step_of_the_task_life_is_refused(TaskState from, TaskState to)
    {
        Assert.False(TaskStateMachine.CanTransition(from, to));
    }

    [Theory]
    [InlineData(TaskState.Queued)]
    [InlineData(TaskState.Assigned)]
    [InlineData(TaskState.Running)]
    [InlineData(TaskState.Paused)]
    public void A_live_state_cannot_transition_to_itself(TaskState state)
    {
        Assert.False(TaskStateMachine.CanTransition(state, state));
    }

    [Fact]
    public void Final_states_are_exactly_the_ending_states()
    {
        var final = Enum.GetValues<TaskState>().Where(state => state.IsFinal());

        Assert.Equal(FinalStates.Order(), final.Order());
    }

    [Fact]
    public void No_transition_leaves_a_final_state_not_even_to_itself()
    {
        foreach (var from in FinalStates)
        {
            Assert.Empty(TaskStateMachine.NextStates(from));
            foreach (var to in Enum.GetValues<TaskState>())
            {
                Assert.False(TaskStateMachine.CanTransition(from, to), $"{from} -> {to}");
            }
        }
    }

    [Fact]
    public void Leaving_a_final_state_is_refused_with_a_message_naming_both_states()
    {
        Assert.False(TaskStateMachine.TryValidateTransition(TaskState.OomKilled, TaskState.Running, out var error));

        Assert.Equal("a task cannot go from OOM_KILLED to RUNNING: OOM_KILLED is a final state", error);
    }

    [Fact]
    public void A_refused_transition_from_a_live_state_lists_where_it_may_go()
    {
        Assert.False(TaskStateMachine.TryValidateTransition(TaskState.Queued, TaskState.Running, out var error));

        Assert.Equal("a task cannot go from QUEUED to RUNNING; from QUEUED it may go to ASSIGNED, CANCELLED, LOST", error);
    }

    [Fact]
    public void Ensure_transition_throws_naming_both_states_and_passes_allowed_ones()
    {
        TaskStateMachine.EnsureTransition(TaskState.Running, TaskState.Paused);

        var exception = Assert.Throws<InvalidOperationException>(
            () => TaskStateMachine.EnsureTransition(TaskState.Succeeded, TaskState.Failed));
        Assert.Contains("SUCCEEDED", exception.Message, StringComparison.Ordinal);
        Assert.Contains("FAILED", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TaskState.Queued, "QUEUED")]
    [InlineData(TaskState.OomKilled, "OOM_KILLED")]
    [InlineData(TaskState.TimedOut, "TIMED_OUT")]
    [InlineData(TaskState.LaunchFailed, "LAUNCH_FAILED")]
    public void States_display_as_the_architecture_spells_them(TaskState state, string expected)
    {
        Assert.Equal(expected, state.ToDisplayName());
    }

    [Fact]
    public void State_numbers_match_the_wire_enum()
    {
        Assert.Equal(1, (int)TaskState.Queued);
        Assert.Equal(8, (int)TaskState.OomKilled);
        Assert.Equal(12, (int)TaskState.LaunchFailed);
    }
}
