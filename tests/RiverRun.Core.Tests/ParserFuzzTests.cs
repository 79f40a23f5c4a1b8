using CsCheck;

namespace RiverRun.Core.Tests;

/// <summary>
/// Property-based fuzzing of every parser and name rule in Core: 10,000 generated inputs each
/// (valid examples edited at random, text made of the characters the parser looks for, noise).
/// Each must give a clear error or a valid result, and never throw.
/// </summary>
public sealed class ParserFuzzTests(ITestOutputHelper output)
{
    private const int Cases = 10_000;

    [Fact]
    public void Sizes_parse_to_a_non_negative_size_or_a_clear_error()
    {
        Run("ByteSize.TryParse", FuzzInputs.Text("16G", "512M", "1.5T", "0", "4096", "2K", "8388607T"), text =>
        {
            if (ByteSize.TryParse(text, out var size, out var error, allowZero: true))
            {
                Assert.True(size.Bytes >= 0, $"'{text}' gave {size.Bytes}");
                // The display form is rounded ("5.68G"), so it is checked only for being readable again.
                Assert.True(ByteSize.TryParse(size.ToString(), out _, out _, allowZero: true), size.ToString());
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        });
    }

    [Fact]
    public void Core_counts_parse_to_a_count_within_bounds_or_a_clear_error()
    {
        Run("CoreCount.TryParse", FuzzInputs.Text("1", "0.5", "2.25", "1024", "0.01", "8"), text =>
        {
            if (CoreCount.TryParse(text, out var count, out var error))
            {
                Assert.InRange(count.Cores, 0.01, CoreCount.MaxCores);
                Assert.Equal(count, CoreCount.FromCores(count.Cores));
            }
            else
            {
                Assert.Contains("cores", error, StringComparison.Ordinal);
            }
        });
    }

    [Fact]
    public void Durations_parse_to_a_positive_duration_that_formats_back_or_a_clear_error()
    {
        Run("DurationParser.TryParse", FuzzInputs.Text("10m", "1h30m", "2d", "45s", "500ms", "1.5h", "0s"), text =>
        {
            if (DurationParser.TryParse(text, out var duration, out var error))
            {
                Assert.True(duration > TimeSpan.Zero, $"'{text}' gave {duration}");
                if (duration.Ticks % TimeSpan.TicksPerMillisecond == 0)
                {
                    Assert.True(DurationParser.TryParse(DurationParser.Format(duration), out var again, out _));
                    Assert.Equal(duration, again);
                }
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        });
    }

    [Fact]
    public void Targets_parse_to_a_selector_that_reads_back_equal_or_a_clear_error()
    {
        Run("TargetSelector.TryParse", FuzzInputs.Text("node1", "node1:0", "node1::0,1", "gpu-box:1:2,3", "n", "node1:4095"), text =>
        {
            if (TargetSelector.TryParse(text, out var target, out var error))
            {
                Assert.Null(NodeName.Validate(target.Node));
                Assert.Equal(target, TargetSelector.Parse(target.ToString()));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        });
    }

    [Fact]
    public void Environment_variable_names_are_accepted_only_when_a_process_can_hold_them()
    {
        Run("EnvironmentVariableName.Validate", FuzzInputs.Text("PATH", "CUDA_HOME", "_private", "A1", "LD_PRELOAD"), name =>
        {
            if (EnvironmentVariableName.Validate(name) is null)
            {
                Assert.NotEmpty(name);
                Assert.DoesNotContain('=', name);
                Assert.DoesNotContain('\0', name);
            }
        });
    }

    [Fact]
    public void User_names_are_accepted_only_within_the_length_and_without_separators()
    {
        Run("UserName.Validate", FuzzInputs.Text("ada", "root", "1000", "svc-build", "a_b.c", "x$"), user =>
        {
            if (UserName.Validate(user) is null)
            {
                Assert.InRange(user.Length, 1, UserName.MaxLength);
                Assert.False(user.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '/'), $"'{user}' was accepted");
            }
        });
    }

    [Fact]
    public void Node_names_are_accepted_only_within_the_length_and_without_separators()
    {
        Run("NodeName.Validate", FuzzInputs.Text("node1", "gpu-box", "n", "node2-gpu0", "a.b"), name =>
        {
            if (NodeName.Validate(name) is null)
            {
                Assert.InRange(name.Length, 1, NodeName.MaxLength);
                Assert.False(name.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is ':' or '/' or ','), $"'{name}' was accepted");
            }
        });
    }

    [Fact]
    public void Task_ids_parse_to_an_id_that_reads_back_equal_or_a_clear_error()
    {
        var generator = new TaskIdGenerator(TimeProvider.System, System.Security.Cryptography.RandomNumberGenerator.Fill);
        var examples = Enumerable.Range(0, 5).Select(_ => generator.Next().Value).Append("000000000000").ToArray();
        Run("TaskId.TryParse", FuzzInputs.Text(examples), text =>
        {
            if (TaskId.TryParse(text, out var id, out var error))
            {
                Assert.Equal(id, TaskId.Parse(id.Value));
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(error));
            }
        });
    }

    [Fact]
    public void Any_task_spec_validates_without_throwing_and_a_valid_one_keeps_every_limit()
    {
        var argument = FuzzInputs.Text("python", "train.py", "--epochs=3", "", "/bin/sh");
        var big = Gen.Int[0, 140_000].Select(n => new string('a', n));
        var env = Gen.Select(FuzzInputs.Text("PATH", "HOME", "SECRET", "A=B"), Gen.Frequency((4, argument), (1, big)))
            .Array[0, 6]
            .Select(pairs => (IReadOnlyDictionary<string, string>)pairs.DistinctBy(p => p.Item1).ToDictionary(p => p.Item1, p => p.Item2));
        var timeout = Gen.Frequency(
            (1, Gen.Const((TimeSpan?)null)),
            (2, Gen.Long.Select(ticks => (TimeSpan?)TimeSpan.FromTicks(ticks))),
            (2, Gen.Long[-10, 400 * TimeSpan.TicksPerDay].Select(ticks => (TimeSpan?)TimeSpan.FromTicks(ticks))));
        var cores = Gen.Frequency((2, Gen.Double), (2, Gen.Double[-1, 2000]), (1, Gen.OneOf(0.0, 0.5, 1024, 1024.01, double.NaN, double.PositiveInfinity)));
        var memory = Gen.Frequency((2, Gen.Long), (1, Gen.OneOf(0L, -1L, TaskLimits.MaxMemoryBytes, TaskLimits.MaxMemoryBytes + 1)));
        var spec = Gen.Select(
            Gen.Frequency((5, argument), (1, big)).Array[0, 12],
            env,
            Gen.Select(FuzzInputs.Text("/home/ada", "relative", ""), FuzzInputs.Text("ada", "root", "")),
            Gen.Select(cores, memory),
            timeout,
            (argv, variables, place, resources, limit) => new TaskSpec
            {
                Argv = argv,
                Env = variables,
                WorkingDirectory = place.Item1,
                User = place.Item2,
                Resources = new Resources(resources.Item1, resources.Item2),
                Timeout = limit,
            });

        Run("TaskSpec.Validate", spec, task =>
        {
            var problems = task.Validate();
            Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Field) || string.IsNullOrWhiteSpace(p.Message)));
            if (problems.Count == 0)
            {
                Assert.NotEmpty(task.Argv);
                var total = task.Argv.Sum(Utf8) + task.Env.Sum(p => Utf8(p.Key) + Utf8(p.Value)) + Utf8(task.WorkingDirectory) + Utf8(task.User);
                Assert.True(total <= TaskLimits.MaxSpecBytes, $"{total} bytes accepted");
                Assert.All(task.Argv, a => Assert.True(Utf8(a) <= TaskLimits.MaxStringBytes));
                Assert.True(task.Timeout is null || (task.Timeout > TimeSpan.Zero && task.Timeout <= TaskLimits.MaxTimeout));
                Assert.InRange(task.Resources.MemoryBytes, 0, TaskLimits.MaxMemoryBytes);
            }
        });
    }

    private static int Utf8(string? text) => text is null ? 0 : System.Text.Encoding.UTF8.GetByteCount(text);

    private void Run<T>(string name, Gen<T> inputs, Action<T> property)
    {
        var count = 0;
        inputs.Sample(
            input =>
            {
                Interlocked.Increment(ref count);
                property(input);
            },
            iter: Cases,
            threads: 1);
        output.WriteLine($"{name}: {count} generated inputs, all handled");
        Assert.True(count >= Cases, $"{name}: only {count} cases ran");
    }
}
