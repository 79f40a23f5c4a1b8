using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RiverRun.Contracts;
using RiverRun.Host.Security;
using RiverRun.Host.Storage;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Services;

/// <summary>riverrun.v1.Tokens (admin only, by <see cref="RpcPermissions"/>): creates, lists and revokes tokens.</summary>
public sealed class TokensService(SqliteTokenStore store, OpenStreams streams, AuditLog audit, TimeProvider clock) : V1.Tokens.TokensBase
{
    public override async Task<V1.CreateTokenResponse> Create(V1.CreateTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        var now = clock.GetUtcNow();
        var token = TokenRequestValidator.Validate(request, now);
        var secret = TokenSecret.Generate();
        if (!await store.TryCreateAsync(token, TokenSecret.Hash(secret), context.CancellationToken))
        {
            throw RpcErrors.FailedPrecondition($"name: a token named '{token.Name}' exists; choose another name, or revoke it first (`riverrun token revoke {token.Name}`)");
        }

        audit.TokenCreated(context, token);
        return new V1.CreateTokenResponse { Token = ToInfo(token), Secret = secret };
    }

    public override async Task<V1.ListTokensResponse> List(V1.ListTokensRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = new V1.ListTokensResponse();
        response.Tokens.AddRange((await store.ListAsync(context.CancellationToken)).Select(ToInfo));
        return response;
    }

    public override async Task<V1.RevokeTokenResponse> Revoke(V1.RevokeTokenRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        if (!await store.RevokeAsync(request.Name, context.CancellationToken))
        {
            throw RpcErrors.NotFound($"no token named '{request.Name}'; `riverrun token list` shows the names");
        }

        var closed = streams.Revoke(request.Name);
        audit.TokenRevoked(context, request.Name, closed);
        return new V1.RevokeTokenResponse { ClosedStreams = closed };
    }

    private static V1.TokenInfo ToInfo(TokenRecord token)
    {
        var info = new V1.TokenInfo
        {
            Name = token.Name,
            Role = (V1.TokenRole)(int)token.Role,
            Node = token.Node ?? string.Empty,
            CreatedAt = Timestamp.FromDateTimeOffset(token.CreatedAt),
        };
        // A user token stored before accounts existed runs as its name: show what it does.
        var accounts = token.Accounts?.All ?? (token.Role == TokenRole.User ? [token.Name] : []);
        info.Accounts.AddRange(accounts);
        if (token.ExpiresAt is { } expires)
        {
            info.ExpiresAt = Timestamp.FromDateTimeOffset(expires);
        }

        return info;
    }
}
