namespace RiverRun.Systemd.Tests;

/// <summary>
/// Test classes that set variables in this test process, or assert that a child sees an exact
/// environment, run one after the other: a variable set by one class while another builds an
/// exact environment would otherwise show up as a leak that RiverRun's Runner (which sets no
/// variables after it starts) never has.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SharedProcessEnvironment
{
    public const string Name = "Process environment";
}
