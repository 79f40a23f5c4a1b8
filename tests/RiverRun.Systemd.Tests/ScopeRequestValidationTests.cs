namespace RiverRun.Systemd.Tests;

public class ScopeRequestValidationTests
{
    private static ScopeRequest Valid() => new()
    {
        UnitName = "riverrun-t-42",
        Environment = new Dictionary<string, string>(),
        Argv = ["true"],
        SpoolDirectory = "/spool/t-42",
    };

    [Fact]
    public void A_valid_request_passes()
    {
        var exception = Record.Exception(() => Valid().Validate());

        Assert.Null(exception);
    }

    [Theory]
    [InlineData("riverrun-ABC")]
    [InlineData("riverrun-a_b")]
    [InlineData("riverrun-a.scope")]
    [InlineData("other-abc")]
    [InlineData("riverrun-")]
    [InlineData("riverrun-a/b")]
    public void Unit_names_other_than_riverrun_followed_by_lowercase_digits_and_dashes_are_refused(string name)
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { UnitName = name }).Validate());

        Assert.Equal("UnitName", exception.ParamName);
    }

    [Theory]
    [InlineData(nameof(ScopeRequest.CpuQuotaPercent))]
    [InlineData(nameof(ScopeRequest.MemoryMaxBytes))]
    public void Zero_limits_are_refused_with_the_field_named(string field)
    {
        var request = field == nameof(ScopeRequest.CpuQuotaPercent) ? Valid() with { CpuQuotaPercent = 0 } : Valid() with { MemoryMaxBytes = 0 };

        var exception = Assert.Throws<ArgumentException>(request.Validate);

        Assert.Equal(field, exception.ParamName);
    }

    [Fact]
    public void A_relative_spool_directory_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { SpoolDirectory = "spool/x" }).Validate());

        Assert.Equal("SpoolDirectory", exception.ParamName);
    }

    [Fact]
    public void A_relative_working_directory_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { WorkingDirectory = "work" }).Validate());

        Assert.Equal("WorkingDirectory", exception.ParamName);
    }

    [Fact]
    public void An_empty_argv_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { Argv = [] }).Validate());

        Assert.Equal("Argv", exception.ParamName);
    }

    [Theory]
    [InlineData("--uid=0")]
    [InlineData("alice bob")]
    [InlineData("")]
    public void A_user_that_could_be_read_as_an_option_or_is_malformed_is_refused(string user)
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { User = user }).Validate());

        Assert.Equal("User", exception.ParamName);
    }

    [Theory]
    [InlineData("0-3,x")]
    [InlineData("0 1")]
    [InlineData("")]
    public void A_cpu_list_that_is_not_a_cpuset_list_is_refused(string cpus)
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { AllowedCpus = cpus }).Validate());

        Assert.Equal("AllowedCpus", exception.ParamName);
    }

    [Fact]
    public void A_slice_without_the_slice_suffix_is_refused()
    {
        var exception = Assert.Throws<ArgumentException>(() => (Valid() with { Slice = "riverrun-node1" }).Validate());

        Assert.Equal("Slice", exception.ParamName);
    }

    [Fact]
    public void An_environment_name_containing_an_equals_sign_is_refused()
    {
        var request = Valid() with { Environment = new Dictionary<string, string> { ["A=B"] = "c" } };

        var exception = Assert.Throws<ArgumentException>(request.Validate);

        Assert.Equal("Environment", exception.ParamName);
    }
}
