using System.Diagnostics.CodeAnalysis;

namespace RiverRun.Cli;

/// <summary>
/// Whether this executable is the NativeAOT client, which leaves the service and setup commands
/// to <c>riverrun-server</c> (<see cref="ServerHandoff"/>). Set only by RiverRun.Cli.csproj's
/// NativeAOT publish, as a trimming feature switch: ILC then treats it as a constant and drops
/// the Host, the Runner and everything only they use from <c>riverrun</c>. Every other build
/// (the JIT one the tests run, ReadyToRun, <c>riverrun-server</c>) holds every command.
/// </summary>
public static class ClientOnlyBuild
{
    /// <summary>The AppContext switch (RuntimeHostConfigurationOption) that turns it on.</summary>
    public const string SwitchName = "RiverRun.Cli.ClientOnly";

    /// <summary>True in the NativeAOT <c>riverrun</c>; a constant there, so the other branch is trimmed away.</summary>
    [FeatureSwitchDefinition(SwitchName)]
    public static bool IsEnabled => AppContext.TryGetSwitch(SwitchName, out var enabled) && enabled;
}
