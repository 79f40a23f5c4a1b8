using RiverRun.Contracts;
using RiverRun.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Security;

/// <summary>Checks a CreateTokenRequest and turns it into the token to store; InvalidArgument naming every problem otherwise.</summary>
public static class TokenRequestValidator
{
    /// <summary>The token the request describes, created at <paramref name="now"/>.</summary>
    public static TokenRecord Validate(V1.CreateTokenRequest request, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(request);
        var problems = new List<string>();
        if (TokenName.Validate(request.Name) is { } nameError)
        {
            problems.Add($"name: {nameError}");
        }

        var role = (TokenRole)(int)request.Role;
        if (!Enum.IsDefined(role))
        {
            problems.Add($"role: {request.Role} is not a role; use one of {string.Join(", ", TokenRoles.All.Select(r => r.ToName()))}");
        }
        else if (role == TokenRole.Runner && request.Node.Length == 0)
        {
            problems.Add("node: a runner token must name the node it registers as (--node NODE)");
        }
        else if (role != TokenRole.Runner && request.Node.Length > 0)
        {
            problems.Add($"node: only runner tokens are bound to a node, not {role.ToName()} tokens; drop --node");
        }

        if (request.Node.Length > 0 && NodeName.Validate(request.Node) is { } nodeError)
        {
            problems.Add($"node: {nodeError}");
        }

        TaskAccounts? accounts = null;
        if (role is TokenRole.User or TokenRole.Admin)
        {
            // No accounts given: the token's own name, for admins too, so that no token runs
            // tasks as root unless whoever created it said so (`--accounts root`).
            var given = request.Accounts.Count > 0;
            var before = problems.Count;
            accounts = TaskAccounts.Create(given ? request.Accounts : [request.Name], rootAllowed: role == TokenRole.Admin, problems);
            if (!given && problems.Count > before)
            {
                problems.Add("accounts: none were given, so the token's name was tried as its OS account; name the accounts with --accounts");
            }
        }
        else if (request.Accounts.Count > 0 && Enum.IsDefined(role))
        {
            problems.Add($"accounts: only user and admin tokens run tasks, not {role.ToName()} tokens; drop --accounts");
        }

        DateTimeOffset? expires = null;
        if (request.ExpiresAt is { } timestamp)
        {
            try
            {
                expires = timestamp.ToDateTimeOffset();
            }
            catch (InvalidOperationException)
            {
                problems.Add("expires_at: is not a valid timestamp");
            }

            if (expires <= now)
            {
                problems.Add($"expires_at: {expires:u} is not in the future");
            }
        }

        if (problems.Count > 0)
        {
            throw RpcErrors.InvalidArgument("invalid token: " + string.Join("; ", problems));
        }

        return new TokenRecord(request.Name, role, request.Node.Length == 0 ? null : request.Node, expires, now, accounts);
    }
}
