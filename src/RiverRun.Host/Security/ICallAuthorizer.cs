using Microsoft.AspNetCore.Http;

namespace RiverRun.Host.Security;

/// <summary>
/// Decides whether a call may proceed, before any handler runs. The single place where bearer
/// tokens (client and Runner roles) will be checked; see <see cref="CallAuthorizationMiddleware"/>.
/// </summary>
public interface ICallAuthorizer
{
    /// <summary>Null to allow the call; otherwise why it is refused (sent to the caller as Unauthenticated).</summary>
    ValueTask<string?> AuthorizeAsync(CallerRole role, HttpContext context);
}
