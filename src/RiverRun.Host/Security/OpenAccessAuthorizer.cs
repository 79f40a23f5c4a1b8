using Grpc.Core;

namespace RiverRun.Host.Security;

/// <summary>
/// Every caller is trusted, as an admin. Used by tests that exercise other things than tokens;
/// the Host itself uses <see cref="TokenAuthorizer"/>, which behaves like this until a token exists.
/// </summary>
public sealed class OpenAccessAuthorizer : ICallAuthorizer
{
    /// <inheritdoc />
    public ValueTask<Caller> AuthorizeAsync(string serviceName, string methodName, ServerCallContext context) =>
        ValueTask.FromResult(Caller.OpenAccess);
}
