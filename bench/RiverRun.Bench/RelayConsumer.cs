using System.Globalization;
using RiverRun.Bench.Relay;

namespace RiverRun.Bench;

/// <summary>
/// bench/relay-floor's consumer, in the client's place: calls the relay's Receive and writes each
/// chunk to stdout as `riverrun run` does (synchronously: see OutputFollower), until the bytes
/// expected have arrived. Prints nothing else on stdout.
/// </summary>
internal static class RelayConsumer
{
    /// <param name="expected">The bytes to receive (the producer's total, or those asked from memory); -1: until the stream ends.</param>
    /// <param name="fromMemory">Ask the server for <paramref name="expected"/> bytes from memory: one hop, no producer.</param>
    public static async Task<int> RunAsync(string host, string? ca, string taskId, long expected, bool fromMemory)
    {
        using var channel = RelayChannel.Create(host, ca);
        var relay = new Relay.Relay.RelayClient(channel);
        using var stdout = Console.OpenStandardOutput();
        using var call = relay.Receive(new ReceiveRequest { TaskId = taskId, BytesFromMemory = fromMemory ? expected : 0 });
        long received = 0;
        while ((expected < 0 || received < expected) && await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false))
        {
            var data = call.ResponseStream.Current.Data;
            stdout.Write(data.Span);
            received += data.Length;
        }

        stdout.Flush();
        if (expected >= 0 && received != expected)
        {
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"riverrun-bench relay-consume: received {received} bytes of {expected}")).ConfigureAwait(false);
            return 1;
        }

        return 0;
    }
}
