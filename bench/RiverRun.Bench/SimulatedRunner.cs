using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Grpc.Net.Client;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Bench;

/// <summary>
/// One simulated Runner: its own channel (so its own HTTP/2 connection, as a real node has) and
/// the real Connect stream. It registers with a capacity, heartbeats at the interval the Host
/// asks for, and answers each StartTask the way a real Runner does (CommandAck, TaskStarted,
/// then TaskExited after the task's simulated run time), without starting any process.
/// </summary>
internal sealed class SimulatedRunner : IAsyncDisposable
{
    private readonly GrpcChannel _channel;
    private readonly string _name;
    private readonly double _cores;
    private readonly TimeSpan _taskTime;
    private readonly ConcurrentDictionary<string, long> _startsReceived;
    private readonly Channel<V1.RunnerMessage> _outbox = Channel.CreateUnbounded<V1.RunnerMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource _registered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage>? _call;
    private Task _running = Task.CompletedTask;

    /// <param name="host">The Host's URL.</param>
    /// <param name="name">The node name it registers as.</param>
    /// <param name="cores">The capacity it advertises.</param>
    /// <param name="taskTime">How long each task "runs" between TaskStarted and TaskExited.</param>
    /// <param name="startsReceived">Where it notes, per task id, the Stopwatch timestamp its StartTask arrived.</param>
    public SimulatedRunner(string host, string name, double cores, TimeSpan taskTime, ConcurrentDictionary<string, long> startsReceived)
    {
        _channel = HostChannel.Create(host, new HostChannelOptions());
        _name = name;
        _cores = cores;
        _taskTime = taskTime;
        _startsReceived = startsReceived;
    }

    /// <summary>Completes once the Host answered Register with Registered.</summary>
    public Task Registered => _registered.Task;

    /// <summary>How many heartbeats it sent.</summary>
    public int Heartbeats { get; private set; }

    /// <summary>Opens the stream and registers; the stream then runs until disposed.</summary>
    public void Start()
    {
        _call = new V1.Runners.RunnersClient(_channel).Connect(cancellationToken: _stop.Token);
        _outbox.Writer.TryWrite(new V1.RunnerMessage
        {
            Register = new V1.Register
            {
                Name = _name,
                Capacity = new V1.Resources { Cores = _cores, MemoryBytes = 16L << 30 },
                Version = "riverrun-bench",
                Hostname = _name,
                SystemdVersion = 252,
                CgroupVersion = 1,
            },
        });
        _running = Task.WhenAll(WriteLoopAsync(_call), ReadLoopAsync(_call));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _outbox.Writer.TryComplete();
        try
        {
            await _running.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or RpcException)
        {
            // Stopped on purpose.
        }

        _call?.Dispose();
        _channel.Dispose();
        _stop.Dispose();
    }

    private async Task WriteLoopAsync(AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> call)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
        {
            await call.RequestStream.WriteAsync(message, _stop.Token).ConfigureAwait(false);
        }
    }

    private async Task ReadLoopAsync(AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> call)
    {
        try
        {
            await foreach (var message in call.ResponseStream.ReadAllAsync(_stop.Token).ConfigureAwait(false))
            {
                switch (message.MessageCase)
                {
                    case V1.HostMessage.MessageOneofCase.Registered:
                        var interval = message.Registered.HeartbeatInterval?.ToTimeSpan() is { } asked && asked > TimeSpan.Zero ? asked : TimeSpan.FromSeconds(5);
                        _ = HeartbeatLoopAsync(interval);
                        _registered.TrySetResult();
                        break;
                    case V1.HostMessage.MessageOneofCase.Start:
                        _startsReceived.TryAdd(message.Start.TaskId, Stopwatch.GetTimestamp());
                        Send(new V1.RunnerMessage { Ack = new V1.CommandAck { CommandId = message.CommandId } });
                        _ = RunTaskAsync(message.Start.TaskId);
                        break;
                    case V1.HostMessage.MessageOneofCase.Kill or V1.HostMessage.MessageOneofCase.Pause or V1.HostMessage.MessageOneofCase.Resume:
                        Send(new V1.RunnerMessage { Ack = new V1.CommandAck { CommandId = message.CommandId } });
                        break;
                    default:
                        break;
                }
            }
        }
        catch (RpcException ex) when (!_stop.IsCancellationRequested)
        {
            _registered.TrySetException(ex);
            throw;
        }
    }

    private async Task HeartbeatLoopAsync(TimeSpan interval)
    {
        // Spread over the interval, as Runners that connected at different times would be.
        await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * interval.TotalMilliseconds), _stop.Token).ConfigureAwait(false);
        using var timer = new PeriodicTimer(interval);
        do
        {
            Send(new V1.RunnerMessage { Heartbeat = new V1.Heartbeat { Usage = new V1.NodeUsage { CpuCoresBusy = 0.1, MemoryUsedBytes = 1L << 30, LoadAverage1M = 0.2 } } });
            Heartbeats++;
        }
        while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false));
    }

    private async Task RunTaskAsync(string taskId)
    {
        var unit = $"riverrun-{taskId}.scope";
        Send(new V1.RunnerMessage { Started = new V1.TaskStarted { TaskId = taskId, Unit = unit, StartedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow) } });
        await Task.Delay(_taskTime, _stop.Token).ConfigureAwait(false);
        Send(new V1.RunnerMessage
        {
            Exited = new V1.TaskExited
            {
                TaskId = taskId,
                State = V1.TaskState.Succeeded,
                Exit = new V1.ExitStatus { ExitCode = 0 },
                Reason = "exited with code 0",
                FinishedAt = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow),
            },
        });
    }

    private void Send(V1.RunnerMessage message) => _outbox.Writer.TryWrite(message);
}
