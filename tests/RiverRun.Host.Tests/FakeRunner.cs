using System.Threading.Channels;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>A Runner as the Host sees one: a Connect stream that registers, then reports what the test tells it to.</summary>
internal sealed class FakeRunner : IAsyncDisposable
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> _call;
    private readonly Channel<V1.HostMessage> _received = Channel.CreateUnbounded<V1.HostMessage>();
    private readonly List<V1.HostMessage> _unclaimed = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    private FakeRunner(AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> call)
    {
        _call = call;
        _reading = ReadAsync();
    }

    public V1.Registered Registered { get; private set; } = new();

    public static Task<FakeRunner> ConnectAsync(TestHost host, string name, double cores = 2, long memory = 1L << 30, params V1.HeldTask[] held) =>
        ConnectAsync(host.Runners, name, cores, memory, held);

    /// <summary>Connects through <paramref name="client"/> (e.g. a channel that sends a token).</summary>
    public static async Task<FakeRunner> ConnectAsync(V1.Runners.RunnersClient client, string name, double cores = 2, long memory = 1L << 30, params V1.HeldTask[] held)
    {
        var runner = new FakeRunner(client.Connect());
        var register = new V1.Register { Name = name, Capacity = new V1.Resources { Cores = cores, MemoryBytes = memory }, Hostname = name, Version = "test" };
        register.HeldTasks.AddRange(held);
        try
        {
            await runner.SendAsync(new V1.RunnerMessage { Register = register });
        }
        catch (OperationCanceledException)
        {
            // A Host that refuses the call (a token's role or node) may end the stream before the
            // Register is written; grpc-dotnet then fails the write as a cancellation (the channel
            // throws OperationCanceledException on cancellation). The wait below reports the call's status.
        }

        runner.Registered = (await runner.WaitForAsync(m => m.MessageCase == V1.HostMessage.MessageOneofCase.Registered)).Registered;
        return runner;
    }

    public Task SendAsync(V1.RunnerMessage message) => _call.RequestStream.WriteAsync(message);

    public async Task<V1.StartTask> WaitForStartAsync() =>
        (await WaitForAsync(m => m.MessageCase == V1.HostMessage.MessageOneofCase.Start)).Start;

    public Task StartedAsync(string taskId) =>
        SendAsync(new V1.RunnerMessage { Started = new V1.TaskStarted { TaskId = taskId, Unit = $"riverrun-{taskId}.scope", StartedAt = Timestamp.FromDateTime(DateTime.UtcNow) } });

    public Task OutputAsync(string taskId, V1.OutputStream stream, long offset, byte[] data) =>
        SendAsync(new V1.RunnerMessage { Output = new V1.OutputChunk { TaskId = taskId, Stream = stream, Offset = offset, Data = ByteString.CopyFrom(data) } });

    public Task ExitedAsync(string taskId, V1.TaskState state, int exitCode, long stdout, long stderr) =>
        SendAsync(new V1.RunnerMessage
        {
            Exited = new V1.TaskExited
            {
                TaskId = taskId,
                State = state,
                Exit = new V1.ExitStatus { ExitCode = exitCode },
                FinishedAt = Timestamp.FromDateTime(DateTime.UtcNow),
                StdoutLength = stdout,
                StderrLength = stderr,
            },
        });

    /// <summary>The first message (received or still to come) matching <paramref name="match"/>; others stay for later waits.</summary>
    public async Task<V1.HostMessage> WaitForAsync(Func<V1.HostMessage, bool> match)
    {
        var found = _unclaimed.FirstOrDefault(match);
        if (found is not null)
        {
            _unclaimed.Remove(found);
            return found;
        }

        using var timeout = new CancellationTokenSource(Patience);
        while (true)
        {
            var message = await _received.Reader.ReadAsync(timeout.Token);
            if (match(message))
            {
                return message;
            }

            _unclaimed.Add(message);
        }
    }

    /// <summary>Waits for the OutputAck of a task that acknowledges at least these offsets.</summary>
    public async Task<V1.OutputAck> WaitForAckAsync(string taskId, long stdout, long stderr) =>
        (await WaitForAsync(m => m.OutputAck is { } ack && ack.TaskId == taskId && ack.StdoutOffset >= stdout && ack.StderrOffset >= stderr)).OutputAck;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _call.Dispose();
        await _reading;
        _stop.Dispose();
    }

    private async Task ReadAsync()
    {
        try
        {
            while (await _call.ResponseStream.MoveNext(_stop.Token))
            {
                _received.Writer.TryWrite(_call.ResponseStream.Current);
            }

            _received.Writer.TryComplete();
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException or ObjectDisposedException)
        {
            // The stream ended: a wait for a message that will never come fails with this instead of
            // hanging. A reset the Host sent after its status can reach the reader as a cancellation
            // first (grpc/grpc-dotnet#1394); the status, once the call has it, says more.
            _received.Writer.TryComplete(ex is OperationCanceledException && !_stop.IsCancellationRequested && await FailedStatusAsync() is { } status
                ? new RpcException(status)
                : ex);
        }
    }

    // The status the call failed with, waiting briefly for grpc-dotnet to settle it; null when it has none.
    private async Task<Status?> FailedStatusAsync()
    {
        for (var attempt = 0; attempt < 50; attempt++)
        {
            try
            {
                var status = _call.GetStatus();
                return status.StatusCode == StatusCode.OK ? null : status;
            }
            catch (InvalidOperationException)
            {
                await Task.Delay(10);
            }
        }

        return null;
    }
}
