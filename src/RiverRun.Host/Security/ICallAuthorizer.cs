using Grpc.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// Decides whether a call may proceed, before its handler runs. The single place where bearer
/// tokens and their roles are checked; <see cref="CallAuthorizationInterceptor"/> asks it for
/// every call.
/// </summary>
public interface ICallAuthorizer
{
    /// <summary>Null to allow the call; otherwise why it is refused (sent to the caller as Unauthenticated).</summary>
    ValueTask<string?> AuthorizeAsync(CallerRole role, ServerCallContext context);
}
