namespace RiverRun.Core.Tests;

/// <summary>One test per limit of <see cref="TaskLimits"/>: the bound itself passes, one more fails naming the field and the limit.</summary>
public class TaskLimitsTests
{
    [Fact]
    public void An_argument_of_exactly_the_kernels_limit_passes_and_one_byte_more_names_the_argument_and_the_limit()
    {
        var atLimit = new TaskSpec { Argv = ["echo", new string('a', TaskLimits.MaxStringBytes)] };
        var over = new TaskSpec { Argv = ["echo", new string('a', TaskLimits.MaxStringBytes + 1)] };

        Assert.Empty(atLimit.Validate());
        var problem = Assert.Single(over.Validate());
        Assert.Equal("argv[1]", problem.Field);
        Assert.Contains($"at most {TaskLimits.MaxStringBytes} bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_argument_is_measured_in_utf8_bytes_not_characters()
    {
        // 'é' is two bytes in UTF-8: 70,000 of them are 140,000 bytes, over the limit, though fewer characters.
        var problem = Assert.Single(new TaskSpec { Argv = ["echo", new string('é', 70_000)] }.Validate());

        Assert.Equal("argv[1]", problem.Field);
        Assert.Contains("140000 bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_environment_entry_over_the_kernels_limit_names_the_variable()
    {
        var spec = new TaskSpec { Argv = ["true"], Env = new Dictionary<string, string> { ["BIG"] = new string('x', TaskLimits.MaxStringBytes) } };

        var problem = Assert.Single(spec.Validate());

        Assert.Equal("env[BIG]", problem.Field);
        Assert.Contains($"{TaskLimits.MaxStringBytes} bytes", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_spec_over_one_mebibyte_in_all_is_refused_on_size_naming_the_limit()
    {
        // Nine arguments of 120,000 bytes: each within the kernel's limit, 1,080,000 together.
        List<string> argv = ["echo", .. Enumerable.Repeat(new string('a', 120_000), 9)];
        var justUnder = new TaskSpec { Argv = ["echo", .. Enumerable.Repeat(new string('a', 120_000), 8)] };

        var problem = Assert.Single(new TaskSpec { Argv = argv }.Validate());

        Assert.Empty(justUnder.Validate());
        Assert.Equal("size", problem.Field);
        Assert.Contains("argv, env, working_directory and user", problem.Message, StringComparison.Ordinal);
        Assert.Contains($"the limit is {TaskLimits.MaxSpecBytes} bytes (1 MiB)", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Environment_names_and_values_count_towards_the_total()
    {
        var env = Enumerable.Range(0, 10).ToDictionary(i => $"V{i}", _ => new string('v', 110_000));

        var problem = Assert.Single(new TaskSpec { Argv = ["true"], Env = env }.Validate());

        Assert.Equal("size", problem.Field);
    }

    [Fact]
    public void A_timeout_of_a_year_passes_and_a_longer_one_names_the_limit()
    {
        var year = new TaskSpec { Argv = ["true"], Timeout = TaskLimits.MaxTimeout };
        var longer = new TaskSpec { Argv = ["true"], Timeout = TaskLimits.MaxTimeout + TimeSpan.FromSeconds(1) };

        Assert.Empty(year.Validate());
        var problem = Assert.Single(longer.Validate());
        Assert.Equal("timeout", problem.Field);
        Assert.Contains("longer than the limit of 365d", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Memory_beyond_64_TiB_is_refused_naming_the_limit()
    {
        var atLimit = new TaskSpec { Argv = ["true"], Resources = new Resources(0, TaskLimits.MaxMemoryBytes) };
        var over = new TaskSpec { Argv = ["true"], Resources = new Resources(0, TaskLimits.MaxMemoryBytes + 1) };

        Assert.Empty(atLimit.Validate());
        var problem = Assert.Single(over.Validate());
        Assert.Equal("resources.memory_bytes", problem.Field);
        Assert.Contains("64 TiB", problem.Message, StringComparison.Ordinal);
    }
}
