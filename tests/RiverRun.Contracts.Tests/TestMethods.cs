using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

/// <summary>Methods that exist only in tests, to move arbitrary messages around.</summary>
internal static class TestMethods
{
    public static RpcMethod<OutputChunk, OutputChunk> Echo { get; } =
        new("riverrun.test.Echo", "Echo", MethodKind.Unary, OutputChunk.Parser, OutputChunk.Parser);

    public static RpcMethod<OutputChunk, OutputChunk> NotMapped { get; } =
        new("riverrun.test.Echo", "NotMapped", MethodKind.Unary, OutputChunk.Parser, OutputChunk.Parser);

    /// <summary>Generous bound for anything that should happen "at once", so a failure fails instead of hanging.</summary>
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
}
