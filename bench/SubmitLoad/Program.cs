using System.Diagnostics;
using System.Globalization;
using Grpc.Core;
using RiverRun.Contracts;
using V1 = RiverRun.Contracts.V1;

// riverrun-submit-load: the submit side of bench/submit-and-soak.
//   submit --host URL --clients N --count N [--target NODE] -- ARGV...
//       N clients, each with its own channel (its own HTTP/2 connection, as separate client
//       machines would have), submit COUNT tasks in all, each waiting for its answer before the
//       next; prints the rate and the latency of one submit.
//   floor --host URL --clients N --count N
//       the same, with a read of one task (List, page size 1) instead of a submit: no write.
//   active --host URL
//       prints how many tasks are QUEUED, ASSIGNED, RUNNING or PAUSED.
// The token comes from RIVERRUN_TOKEN, as for riverrun itself.
return await LoadCommand.RunAsync(args);

internal static class LoadCommand
{
    private static readonly V1.TaskState[] Active =
        [V1.TaskState.Queued, V1.TaskState.Assigned, V1.TaskState.Running, V1.TaskState.Paused];

    public static async Task<int> RunAsync(string[] args)
    {
        try
        {
            var arguments = Arguments.Parse(args);
            return arguments.Mode switch
            {
                "submit" => await SubmitAsync(arguments, floor: false),
                "floor" => await SubmitAsync(arguments, floor: true),
                "active" => await CountActiveAsync(arguments),
                _ => throw new ArgumentException($"unknown mode '{arguments.Mode}': use submit, floor or active"),
            };
        }
        catch (ArgumentException exception)
        {
            Console.Error.WriteLine($"riverrun-submit-load: {exception.Message}");
            return 2;
        }
        catch (RpcException exception)
        {
            Console.Error.WriteLine($"riverrun-submit-load: the Host answered {exception.StatusCode}: {exception.Status.Detail}");
            return 1;
        }
    }

    private static async Task<int> SubmitAsync(Arguments arguments, bool floor)
    {
        // The floor: the same calls over the same connections, but a read of one task instead of a
        // submit, so nothing is written — what gRPC and the Host's call path cost alone.
        var read = new V1.ListTasksRequest { PageSize = 1 };
        var spec = new V1.TaskSpec();
        spec.Argv.AddRange(arguments.Argv.Count > 0 ? arguments.Argv : ["true"]);
        var request = new V1.SubmitRequest { Spec = spec };
        if (arguments.Target is { } node)
        {
            request.Targets.Add(new V1.TargetSelector { Node = node });
        }

        var clients = Enumerable.Range(0, arguments.Clients).Select(_ => HostChannel.Create(arguments.Host, Options())).ToList();
        var next = 0;
        var latencies = new long[arguments.Count];
        // One submit per client first, untimed: connections are set up before the clock starts.
        foreach (var channel in clients)
        {
            await CallAsync(new V1.Tasks.TasksClient(channel));
        }

        var clock = Stopwatch.StartNew();
        await Task.WhenAll(clients.Select(channel => Task.Run(async () =>
        {
            var tasks = new V1.Tasks.TasksClient(channel);
            int index;
            while ((index = Interlocked.Increment(ref next) - 1) < arguments.Count)
            {
                var start = Stopwatch.GetTimestamp();
                await CallAsync(tasks);
                latencies[index] = Stopwatch.GetTimestamp() - start;
            }
        })));
        clock.Stop();
        var what = floor ? "reads (List of 1 task)" : "tasks";

        Array.Sort(latencies);
        var rate = arguments.Count / clock.Elapsed.TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{(floor ? "floor: " : "")}{arguments.Count} {what} from {arguments.Clients} clients in {clock.Elapsed.TotalSeconds:0.00} s: {rate:0}/s; one call p50 {Milliseconds(latencies[latencies.Length / 2]):0.0} ms, p99 {Milliseconds(latencies[latencies.Length * 99 / 100]):0.0} ms"));
        foreach (var channel in clients)
        {
            channel.Dispose();
        }

        return 0;

        async Task CallAsync(V1.Tasks.TasksClient tasks)
        {
            if (floor)
            {
                await tasks.ListAsync(read);
            }
            else
            {
                await tasks.SubmitAsync(request);
            }
        }
    }

    private static async Task<int> CountActiveAsync(Arguments arguments)
    {
        using var channel = HostChannel.Create(arguments.Host, Options());
        var tasks = new V1.Tasks.TasksClient(channel);
        var active = 0;
        var request = new V1.ListTasksRequest { PageSize = 1000 };
        request.States.AddRange(Active);
        do
        {
            var page = await tasks.ListAsync(request);
            active += page.Tasks.Count;
            request.PageToken = page.NextPageToken;
        }
        while (request.PageToken.Length > 0);

        Console.WriteLine(active.ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    private static HostChannelOptions Options() => new() { BearerToken = Environment.GetEnvironmentVariable("RIVERRUN_TOKEN") };

    private static double Milliseconds(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private sealed record Arguments(string Mode, string Host, int Clients, int Count, string? Target, IReadOnlyList<string> Argv)
    {
        public static Arguments Parse(string[] args)
        {
            if (args.Length == 0)
            {
                throw new ArgumentException("usage: riverrun-submit-load submit|floor|active --host URL [--clients N] [--count N] [--target NODE] [-- ARGV...]");
            }

            string host = "http://127.0.0.1:8700";
            int clients = 8, count = 10_000;
            string? target = null;
            var argv = new List<string>();
            for (var i = 1; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--":
                        argv.AddRange(args[(i + 1)..]);
                        i = args.Length;
                        break;
                    case "--host":
                        host = Value(args, ref i);
                        break;
                    case "--clients":
                        clients = Number(args, ref i);
                        break;
                    case "--count":
                        count = Number(args, ref i);
                        break;
                    case "--target":
                        target = Value(args, ref i);
                        break;
                    default:
                        throw new ArgumentException($"unknown option '{args[i]}'");
                }
            }

            return new Arguments(args[0], host, clients, count, target, argv);
        }

        private static string Value(string[] args, ref int i) =>
            ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");

        private static int Number(string[] args, ref int i)
        {
            var text = Value(args, ref i);
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0
                ? value
                : throw new ArgumentException($"{args[i - 1]}: '{text}' is not a positive whole number");
        }
    }
}
