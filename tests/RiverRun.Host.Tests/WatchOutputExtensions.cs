using System.Runtime.CompilerServices;
using Grpc.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

internal static class WatchOutputExtensions
{
    /// <summary>WatchOutput as a sequence; leaving the loop early ends the call.</summary>
    public static async IAsyncEnumerable<V1.WatchOutputResponse> Watch(
        this V1.Tasks.TasksClient tasks, V1.WatchOutputRequest request, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var call = tasks.WatchOutput(request, cancellationToken: cancellationToken);
        await foreach (var response in call.ResponseStream.ReadAllAsync(cancellationToken))
        {
            yield return response;
        }
    }
}
