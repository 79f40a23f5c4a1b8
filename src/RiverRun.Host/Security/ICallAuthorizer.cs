using Grpc.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// Decides who a call comes from and whether it may proceed, before its handler runs. The single
/// place where bearer tokens and their roles are checked; <see cref="CallAuthorizationInterceptor"/>
/// asks it for every RiverRun call, with the method the call was routed to.
/// </summary>
public interface ICallAuthorizer
{
    /// <summary>The caller when the call may proceed.</summary>
    /// <exception cref="RpcException">Unauthenticated (no or an unknown token) or PermissionDenied (a role that may not call the method).</exception>
    ValueTask<Caller> AuthorizeAsync(string serviceName, string methodName, ServerCallContext context);
}
