using RiverRun.Contracts.V1;

namespace RiverRun.Cli.Tests;

public class ExitCodesTests
{
    [Theory]
    [InlineData(TaskState.Succeeded, 0, null, 0)]
    [InlineData(TaskState.Failed, 3, null, 3)]
    [InlineData(TaskState.Failed, 1, null, 1)]
    [InlineData(TaskState.Failed, null, 9, 137)]
    [InlineData(TaskState.Failed, null, 11, 139)]
    [InlineData(TaskState.Failed, null, null, 1)]
    [InlineData(TaskState.Killed, null, 15, 143)]
    [InlineData(TaskState.Killed, null, 9, 137)]
    [InlineData(TaskState.Killed, null, null, 143)]
    [InlineData(TaskState.Killed, 5, null, 5)]
    [InlineData(TaskState.TimedOut, null, 15, 124)]
    [InlineData(TaskState.TimedOut, null, null, 124)]
    [InlineData(TaskState.LaunchFailed, null, null, 125)]
    [InlineData(TaskState.OomKilled, null, 9, 250)]
    [InlineData(TaskState.Lost, null, null, 251)]
    [InlineData(TaskState.Cancelled, null, null, 252)]
    public void A_final_state_maps_to_its_documented_exit_code(TaskState state, int? exitCode, int? signal, int expected)
    {
        var task = new TaskInfo { Id = "t00000000001", State = state };
        if (exitCode is not null || signal is not null)
        {
            task.Exit = new ExitStatus();
            if (exitCode is { } code)
            {
                task.Exit.ExitCode = code;
            }

            if (signal is { } number)
            {
                task.Exit.Signal = number;
            }
        }

        Assert.Equal(expected, ExitCodes.ForTask(task));
    }

    [Fact]
    public void Every_final_state_has_a_mapping_and_the_special_ones_are_distinct()
    {
        TaskState[] special = [TaskState.TimedOut, TaskState.LaunchFailed, TaskState.OomKilled, TaskState.Lost, TaskState.Cancelled];

        var codes = special.Select(state => ExitCodes.ForTask(new TaskInfo { State = state })).ToList();

        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.DoesNotContain(ExitCodes.GenericFailure, codes);
        Assert.DoesNotContain(ExitCodes.Usage, codes);
        Assert.DoesNotContain(ExitCodes.Unavailable, codes);
    }

    [Fact]
    public void The_help_text_lists_every_fixed_exit_code()
    {
        int[] codes =
        [
            ExitCodes.Usage, ExitCodes.Unavailable, ExitCodes.TimedOut, ExitCodes.LaunchFailed, ExitCodes.Interrupted,
            ExitCodes.OomKilled, ExitCodes.Lost, ExitCodes.Cancelled, ExitCodes.OutputClosed, ExitCodes.InternalError,
        ];

        foreach (var code in codes)
        {
            Assert.Matches($@"(?m)^\s+{code}\s", ExitCodes.HelpText);
        }
    }
}
