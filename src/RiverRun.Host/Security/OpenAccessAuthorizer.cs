using Grpc.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// The policy while no tokens are configured: every caller is trusted. That is only sound on
/// loopback or a trusted network, which is why the Host listens on 127.0.0.1 by default.
/// </summary>
public sealed class OpenAccessAuthorizer : ICallAuthorizer
{
    /// <inheritdoc />
    public ValueTask<string?> AuthorizeAsync(CallerRole role, ServerCallContext context) => ValueTask.FromResult<string?>(null);
}
