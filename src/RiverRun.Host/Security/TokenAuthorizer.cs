using System.Globalization;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Host.Storage;

namespace RiverRun.Host.Security;

/// <summary>
/// Checks the bearer token of every RiverRun call against the token store and
/// <see cref="RpcPermissions"/>. While the store holds no token at all, every call is allowed as
/// before tokens existed (open access; the Host then refuses to listen beyond loopback unless started --insecure); once one
/// exists, every call needs one. The store is read at every call, so a revoked or expired token
/// stops working at the next call.
/// </summary>
/// <remarks>Messages name the token (its name) and what to do, never its secret.</remarks>
public sealed class TokenAuthorizer(SqliteTokenStore tokens, TimeProvider clock) : ICallAuthorizer
{
    private const string Scheme = "Bearer ";

    /// <inheritdoc />
    public async ValueTask<Caller> AuthorizeAsync(string serviceName, string methodName, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!await tokens.AnyAsync(context.CancellationToken))
        {
            return Caller.OpenAccess;
        }

        var header = context.RequestHeaders.GetValue("authorization");
        if (header is null || !header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            throw RpcErrors.Unauthenticated(
                "this Host requires a token: set RIVERRUN_TOKEN (or put it in ~/.config/riverrun/token, mode 0600); an admin creates one with `riverrun token create`");
        }

        var token = await tokens.FindAsync(TokenSecret.Hash(header[Scheme.Length..].Trim()), context.CancellationToken)
            ?? throw RpcErrors.Unauthenticated("the token is not known to this Host (revoked, or never created here); ask an admin for a new one (`riverrun token create`)");
        if (token.IsExpired(clock.GetUtcNow()))
        {
            throw RpcErrors.Unauthenticated(
                $"the token '{token.Name}' expired at {token.ExpiresAt!.Value.ToString("u", CultureInfo.InvariantCulture)}; ask an admin for a new one (`riverrun token create`)");
        }

        if (!RpcPermissions.Allows(token.Role, serviceName, methodName))
        {
            var needed = string.Join(" or ", RpcPermissions.RolesFor(serviceName, methodName).Select(r => r.ToName()));
            throw RpcErrors.PermissionDenied(
                $"the token '{token.Name}' has role {token.Role.ToName()}, which may not call {serviceName}/{methodName}; that needs a token with role {needed}");
        }

        return Caller.For(token);
    }
}
