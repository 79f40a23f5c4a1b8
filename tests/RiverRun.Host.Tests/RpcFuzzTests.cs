using System.Collections.Concurrent;
using CsCheck;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RiverRun.Core;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>
/// Fuzzing the public RPCs through a real Host (Kestrel, HTTP/2, SQLite): random and mutated
/// Submit, Kill, List, WatchOutput and Register messages, and raw mutated Submit bytes. Every call
/// must end OK or with a clear client error — never INTERNAL or UNKNOWN — and no task may exist
/// but those created by a submit whose spec is valid.
/// </summary>
public sealed class RpcFuzzTests(ITestOutputHelper output) : IAsyncLifetime
{
    // gRPC calls cost about a millisecond each: fewer cases per RPC than per parser, 12,000 in all (about 15 s).
    private const int SubmitCases = 4000;
    private const int RawSubmitCases = 2000;
    private const int KillCases = 2000;
    private const int ListCases = 1000;
    private const int WatchCases = 2000;
    private const int RegisterCases = 1000;

    private static readonly StatusCode[] ClientErrors =
        [StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.ResourceExhausted];

    private static readonly Method<byte[], byte[]> RawSubmit = new(
        MethodType.Unary, "riverrun.v1.Tasks", "Submit", Marshallers.Create(b => b, b => b), Marshallers.Create(b => b, b => b));

    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-fuzz-tests-").FullName;
    private readonly ConcurrentDictionary<StatusCode, int> _statuses = new();
    private readonly List<string> _created = [];
    private TestHost _host = null!;
    private int _undeserializable;

    public async ValueTask InitializeAsync()
    {
        _host = await TestHost.StartAsync(_directory, http: false);
        // A known node that is not connected: targets naming it are valid and their tasks stay queued.
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", cores: 8, memory: 16L << 30);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task Hostile_calls_to_every_public_rpc_end_in_a_result_or_a_clear_error_and_create_only_valid_tasks()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        var submits = await RunAsync("Submit", Submits(), SubmitCases, SubmitAsync);
        var raw = await RunAsync("Submit (mutated bytes)", MutatedBytes(), RawSubmitCases, RawSubmitAsync);
        var kills = await RunAsync("Kill", Kills(), KillCases, KillAsync);
        var lists = await RunAsync("List", Lists(), ListCases, ListAsync);
        var watches = await RunAsync("WatchOutput", Watches(), WatchCases, WatchAsync);
        var registers = await RunAsync("Runners/Connect Register", Registers(), RegisterCases, RegisterAsync);

        var listed = new List<string>();
        var token = string.Empty;
        do
        {
            var page = await _host.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1000, PageToken = token });
            listed.AddRange(page.Tasks.Select(t => t.Id));
            token = page.NextPageToken;
        }
        while (token.Length > 0);

        output.WriteLine(
            $"{submits + raw + kills + lists + watches + registers} RPC cases in {started.Elapsed.TotalSeconds:0.0} s; statuses: "
            + string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key} {s.Value}")));
        output.WriteLine($"{_created.Count} tasks created, each from a valid spec; {listed.Count} tasks listed");
        output.WriteLine($"{_undeserializable} raw submits were not protobuf at all and were refused before reaching RiverRun (UNKNOWN is grpc-dotnet's status for those)");
        Assert.Equal(_created.Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
        Assert.NotEmpty(_created);
        Assert.True(_statuses.GetValueOrDefault(StatusCode.InvalidArgument) > 0);
    }

    private async Task SubmitAsync(V1.SubmitRequest request)
    {
        V1.SubmitResponse response;
        try
        {
            response = await _host.Tasks.SubmitAsync(request);
        }
        catch (RpcException ex)
        {
            Refused(ex);
            return;
        }

        Ok();
        // Accepted: the spec must be one the rules allow, for every task created.
        var problems = new List<ValidationProblem>();
        var spec = SpecConversion.ToCore(request.Spec, problems);
        problems.AddRange(spec.Validate());
        Assert.Empty(problems);
        Assert.Equal(Math.Max(request.Targets.Count, 1), response.Tasks.Count);
        _created.AddRange(response.Tasks.Select(t => t.Id));
    }

    private async Task RawSubmitAsync(byte[] bytes)
    {
        var parses = true;
        try
        {
            V1.SubmitRequest.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException)
        {
            parses = false;
        }

        byte[] answer;
        try
        {
            answer = await _host.Channel.CreateCallInvoker().AsyncUnaryCall(RawSubmit, null, default, bytes);
        }
        catch (RpcException ex) when (!parses)
        {
            // grpc-dotnet reads the message before any interceptor or handler runs, and reports
            // one it cannot deserialize as UNKNOWN ("Exception was thrown by handler."): what
            // matters here is that the Host refuses it, stays up and creates nothing.
            _statuses.AddOrUpdate(ex.StatusCode, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _undeserializable);
            Assert.Contains(ex.StatusCode, (StatusCode[])[.. ClientErrors, StatusCode.Unknown]);
            return;
        }
        catch (RpcException ex)
        {
            Refused(ex);
            return;
        }

        Assert.True(parses, "the Host accepted bytes that are not a SubmitRequest");

        Ok();
        _created.AddRange(V1.SubmitResponse.Parser.ParseFrom(answer).Tasks.Select(t => t.Id));
    }

    private async Task KillAsync(V1.KillRequest request)
    {
        try
        {
            await _host.Tasks.KillAsync(request);
            Ok();
        }
        catch (RpcException ex)
        {
            Refused(ex);
        }
    }

    private async Task ListAsync(V1.ListTasksRequest request)
    {
        try
        {
            var page = await _host.Tasks.ListAsync(request);
            Ok();
            Assert.True(page.CalculateSize() <= TaskQueries.MaxPageBytes + 1024);
        }
        catch (RpcException ex)
        {
            Refused(ex);
        }
    }

    private async Task WatchAsync(V1.WatchOutputRequest request)
    {
        try
        {
            using var call = _host.Tasks.WatchOutput(request, deadline: DateTime.UtcNow.AddSeconds(10));
            while (await call.ResponseStream.MoveNext())
            {
            }

            Ok();
        }
        catch (RpcException ex)
        {
            Refused(ex);
        }
    }

    private async Task RegisterAsync(V1.Register register)
    {
        // A connection per Runner, as real Runners have: one connection resetting hundreds of streams
        // in a few seconds is taken for a rapid-reset attack (Kestrel answers ENHANCE_YOUR_CALM).
        using var channel = Contracts.HostChannel.Create(_host.GrpcAddress.ToString(), new Contracts.HostChannelOptions());
        using var call = new V1.Runners.RunnersClient(channel).Connect(deadline: DateTime.UtcNow.AddSeconds(10));
        try
        {
            await call.RequestStream.WriteAsync(new V1.RunnerMessage { Register = register });
            Assert.True(await call.ResponseStream.MoveNext());
            Assert.Equal(V1.HostMessage.MessageOneofCase.Registered, call.ResponseStream.Current.MessageCase);
            Ok();
            // Leave as a Runner does, by ending the stream.
            await call.RequestStream.CompleteAsync();
            while (await call.ResponseStream.MoveNext())
            {
            }
        }
        catch (RpcException ex)
        {
            Refused(ex);
        }
    }

    private void Ok() => _statuses.AddOrUpdate(StatusCode.OK, 1, (_, n) => n + 1);

    private void Refused(RpcException ex)
    {
        _statuses.AddOrUpdate(ex.StatusCode, 1, (_, n) => n + 1);
        Assert.True(ClientErrors.Contains(ex.StatusCode), $"{ex.StatusCode}: {ex.Status.Detail}");
        Assert.False(string.IsNullOrWhiteSpace(ex.Status.Detail));
    }

    private async Task<int> RunAsync<T>(string name, Gen<T> inputs, int cases, Func<T, Task> call)
    {
        var count = 0;
        var started = System.Diagnostics.Stopwatch.StartNew();
        await inputs.SampleAsync(
            async input =>
            {
                count++;
                await call(input);
            },
            iter: cases,
            threads: 1,
            // Protobuf's own ToString (JSON) throws on lone surrogates: show the bytes instead.
            print: Describe);
        output.WriteLine($"{name}: {count} generated calls in {started.Elapsed.TotalSeconds:0.0} s");
        Assert.True(count >= cases, $"{name}: only {count} cases ran");
        return count;
    }

    private static string Describe<T>(T input)
    {
        var text = input switch
        {
            IMessage message => $"{message.GetType().Name} of {message.CalculateSize()} bytes: " + Convert.ToBase64String(message.ToByteArray()),
            byte[] bytes => $"{bytes.Length} bytes: " + Convert.ToBase64String(bytes),
            _ => $"{input}",
        };
        return text.Length > 4000 ? text[..4000] + "..." : text;
    }

    private static Gen<string> TaskIds() => FuzzInputs.Text("0123456789ab", "000000000000", "zzzzzzzzzzzz", "x");

    private static Gen<Duration?> Durations() => Gen.Frequency(
        (1, Gen.Const((Duration?)null)),
        (2, Gen.Select(Gen.Long, Gen.Int, (s, n) => (Duration?)new Duration { Seconds = s, Nanos = n })),
        (3, Gen.Select(Gen.Long[-10, 400L * 24 * 3600], Gen.Int[0, 999_999_999], (s, n) => (Duration?)new Duration { Seconds = s, Nanos = n })));

    private static Gen<V1.TaskSpec?> Specs()
    {
        var argument = FuzzInputs.Text("echo", "hi", "/bin/sh", "-c", "");
        var big = Gen.Int[0, 200_000].Select(n => new string('a', n));
        var resources = Gen.Frequency(
            (1, Gen.Const((V1.Resources?)null)),
            (3, Gen.Select(
                Gen.Frequency((2, Gen.Double), (2, Gen.Double[-1, 20]), (1, Gen.OneOf(0.0, 0.5, 1, double.NaN))),
                Gen.Frequency((2, Gen.Long), (2, Gen.Long[-1, 1L << 34]), (1, Gen.OneOf(0L, 1L << 30))),
                (cores, memory) => (V1.Resources?)new V1.Resources { Cores = cores, MemoryBytes = memory })));
        var env = Gen.Select(FuzzInputs.Text("PATH", "SECRET", "A=B", "_x"), Gen.Frequency((6, argument), (1, big))).Array[0, 5];
        return Gen.Frequency(
            (1, Gen.Const((V1.TaskSpec?)null)),
            (9, Gen.Select(
                Gen.Frequency((8, argument), (1, big)).Array[0, 8],
                env,
                Gen.Select(FuzzInputs.Text("/tmp", "relative", ""), FuzzInputs.Text("ada", "root", "")),
                resources,
                Durations(),
                (argv, variables, place, limits, timeout) =>
                {
                    var spec = new V1.TaskSpec { WorkingDirectory = place.Item1, User = place.Item2, Resources = limits, Timeout = timeout };
                    spec.Argv.AddRange(argv);
                    foreach (var (name, value) in variables)
                    {
                        spec.Env[name] = value;
                    }

                    return (V1.TaskSpec?)spec;
                })));
    }

    private static Gen<V1.SubmitRequest> Submits()
    {
        var target = Gen.Select(
            Gen.Frequency((6, Gen.OneOf("node1", "node2", "")), (1, FuzzInputs.Text("node1", "gpu-box"))),
            Gen.Frequency((3, Gen.Const((int?)null)), (1, Gen.Int.Select(i => (int?)i)), (1, Gen.Int[-1, 3].Select(i => (int?)i))),
            Gen.Int[-1, 5000].Array[0, 3],
            (node, numa, gpus) =>
            {
                var selector = new V1.TargetSelector { Node = node };
                if (numa is { } index)
                {
                    selector.NumaNode = index;
                }

                selector.Gpus.AddRange(gpus);
                return selector;
            });
        var targets = Gen.Frequency((12, target.Array[0, 3]), (1, target.Array[99, 102]));
        return Gen.Select(Specs(), targets, (spec, selectors) =>
        {
            var request = new V1.SubmitRequest { Spec = spec };
            request.Targets.AddRange(selectors);
            return request;
        });
    }

    private static Gen<byte[]> MutatedBytes()
    {
        var valid = new V1.SubmitRequest
        {
            Spec = new V1.TaskSpec { Argv = { "echo", "hi" }, Env = { ["A"] = "b" }, Resources = new V1.Resources { Cores = 1, MemoryBytes = 1 << 20 }, Timeout = Duration.FromTimeSpan(TimeSpan.FromMinutes(5)) },
            Targets = { new V1.TargetSelector { Node = "node1" } },
        }.ToByteArray();
        var mutated = Gen.Select(Gen.Int.Array[1, 6], Gen.Byte.Array[6], Gen.Int[0, 2], (positions, values, kind) =>
        {
            var bytes = new List<byte>(valid);
            for (var i = 0; i < positions.Length && bytes.Count > 0; i++)
            {
                var at = (int)((uint)positions[i] % (uint)bytes.Count);
                switch (kind)
                {
                    case 0:
                        bytes[at] = values[i];
                        break;
                    case 1:
                        bytes.Insert(at, values[i]);
                        break;
                    default:
                        bytes.RemoveRange(at, bytes.Count - at);
                        break;
                }
            }

            return bytes.ToArray();
        });
        return Gen.Frequency((4, mutated), (1, Gen.Byte.Array[0, 64]));
    }

    private static Gen<V1.KillRequest> Kills() =>
        Gen.Select(TaskIds(), Durations(), (id, grace) => new V1.KillRequest { TaskId = id, GracePeriod = grace });

    private static Gen<V1.ListTasksRequest> Lists() =>
        Gen.Select(
            Gen.Frequency((1, Gen.Int), (3, Gen.Int[-2, 1100])),
            Gen.Frequency((3, Gen.Const(string.Empty)), (1, FuzzInputs.Text("12", "0", "-1", "9223372036854775807"))),
            Gen.Frequency((3, Gen.Int[0, 9]), (1, Gen.Int)).Array[0, 3],
            Gen.Frequency((3, Gen.Const(string.Empty)), (1, FuzzInputs.Text("node1", "x"))),
            (size, token, states, node) =>
            {
                var request = new V1.ListTasksRequest { PageSize = size, PageToken = token, Node = node };
                request.States.AddRange(states.Select(s => (V1.TaskState)s));
                return request;
            });

    private static Gen<V1.WatchOutputRequest> Watches() =>
        Gen.Select(
            TaskIds(),
            Gen.Frequency((3, Gen.Long[-1, 100]), (1, Gen.Long)),
            Gen.Frequency((3, Gen.Int[0, 3]), (1, Gen.Int)).Array[0, 3],
            Gen.Bool,
            (id, offset, streams, follow) =>
            {
                // Following a valid, queued task would wait for it forever; follow only what cannot be followed.
                var request = new V1.WatchOutputRequest { TaskId = id, StdoutOffset = offset, StderrOffset = -offset, Follow = follow && !TaskId.TryParse(id, out _) };
                request.Streams.AddRange(streams.Select(s => (V1.OutputStream)s));
                return request;
            });

    private static Gen<V1.Register> Registers() =>
        Gen.Select(
            Gen.Frequency((3, Gen.OneOf("node7", "node8")), (2, FuzzInputs.Text("node9", "gpu-box"))),
            Gen.Frequency(
                (1, Gen.Const((V1.Resources?)null)),
                (4, Gen.Select(
                    Gen.Frequency((2, Gen.Double), (2, Gen.Double[-1, 5000]), (1, Gen.OneOf(1e6, 4096.0, 2.0))),
                    Gen.Frequency((2, Gen.Long), (2, Gen.Long[-1, 1L << 47]), (1, Gen.OneOf(1L << 60, 1L << 30))),
                    (cores, memory) => (V1.Resources?)new V1.Resources { Cores = cores, MemoryBytes = memory }))),
            Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 300]),
            TaskIds().Array[0, 3],
            (name, capacity, counts, held) =>
            {
                var register = new V1.Register { Name = name, Capacity = capacity, Version = "fuzz", Hostname = new string('h', counts.Item3) };
                register.NumaNodes.AddRange(Enumerable.Range(0, counts.Item1).Select(i => new V1.NumaNode { Index = i - 1, Cpus = "0-3", MemoryBytes = -i }));
                register.Gpus.AddRange(Enumerable.Range(0, counts.Item2).Select(i => new V1.Gpu { Index = i * 1000, Name = "gpu" }));
                register.HeldTasks.AddRange(held.Select(id => new V1.HeldTask { TaskId = id, Running = id.Length % 2 == 0, Unit = "riverrun-" + id + ".scope" }));
                return register;
            });
}
