using Grpc.Core;
using Microsoft.AspNetCore.Http;

namespace RiverRun.Host.Security;

/// <summary>Where the interceptor leaves the call's <see cref="Caller"/> (and a stream's guard) for the handlers.</summary>
public static class CallerContext
{
    private static readonly object CallerKey = new();
    private static readonly object GuardKey = new();

    /// <summary>The caller the interceptor authorized.</summary>
    /// <exception cref="InvalidOperationException">The call did not pass the interceptor (a wiring bug).</exception>
    public static Caller GetCaller(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Items.TryGetValue(CallerKey, out var caller) && caller is Caller known
            ? known
            : throw new InvalidOperationException($"{context.Method} reached its handler without passing the authorization interceptor");
    }

    /// <summary>Cancelled when the token of this streaming call is revoked or expires; none for unary calls.</summary>
    public static CancellationToken TokenEnded(this ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.GetHttpContext().Items.TryGetValue(GuardKey, out var guard) && guard is OpenStreams.Guard known
            ? known.Ended
            : CancellationToken.None;
    }

    internal static void Set(HttpContext http, Caller caller, OpenStreams.Guard? guard)
    {
        http.Items[CallerKey] = caller;
        if (guard is not null)
        {
            http.Items[GuardKey] = guard;
        }
    }
}
