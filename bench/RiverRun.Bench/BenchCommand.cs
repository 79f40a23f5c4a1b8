using System.Globalization;

namespace RiverRun.Bench;

/// <summary>Parses the command line and runs one benchmark; exit 2 with the usage on bad input.</summary>
internal static class BenchCommand
{
    private const string Usage = """
        riverrun-bench — load generators for RiverRun's benchmarks (run by the scripts in bench/).

        Usage:
          riverrun-bench drain --host URL --node NAME [--count 200] [--cores 1]
              Submits COUNT tasks `-- true` to NODE at once and waits until all have ended.
              Prints the drain time: from the first submit to the last task's finished_at.
          riverrun-bench simulated-runners --host URL --host-pid PID [--runners 500]
                         [--rate 20] [--seconds 60] [--task-seconds 1] [--cores 4]
              Connects RUNNERS simulated Runners (one gRPC channel each, the real Connect
              stream: Register, heartbeats at the interval the Host asks for, TaskStarted and
              TaskExited for every StartTask), then submits RATE tasks/s for SECONDS. Prints the
              Host's CPU (% of one core, /proc/PID/stat) and RSS over the submitting window and
              the p50/p99 submit-to-start latency (Submit sent to StartTask received).

          riverrun-bench submit --host URL [--clients 8] [--count 10000]
              CLIENTS clients, each with its own connection, submit COUNT tasks `true` in all
              (untargeted), one call at a time each. Prints submits/s and one call's p50/p99.
          riverrun-bench submit-floor --host URL [--clients 8] [--count 10000]
              The same calls with a read of one task (List) instead of a submit: no write.
          riverrun-bench active --host URL
              Prints how many tasks are QUEUED, ASSIGNED, RUNNING or PAUSED.
          The token comes from RIVERRUN_TOKEN, as for riverrun (simulated Runners use none).

          The bare relay of bench/relay-floor (no RiverRun logic: gRPC, HTTP/2, TLS and a file):
          riverrun-bench relay-server --port P [--tls 1] [--dir DIR]
              Kestrel on 127.0.0.1:P, HTTP/2 only, set up as the Host is for output. Stores each
              task's chunks in DIR/TASK.out and relays them to its consumer. With --tls 1 (the
              default) it makes a CA and a certificate and writes the CA to DIR/ca.crt. Without
              --dir, a temporary directory. Prints READY once listening; stops on SIGTERM.
          riverrun-bench relay-produce --host URL --task T --file F [--bytes N] [--ca FILE]
              Sends F (its first N bytes) to the server in 64 KiB chunks, as a Runner its spool.
          riverrun-bench relay-consume --host URL --task T [--bytes N | --from-memory N] [--ca FILE]
              Receives task T's chunks (or, with --from-memory, N bytes the server sends from
              memory: one hop) and writes them to stdout, as riverrun does; N bytes, or until the end.

        Examples:
          riverrun-bench drain --host http://127.0.0.1:8700 --node node1
          riverrun-bench simulated-runners --host http://127.0.0.1:8800 --host-pid 1234 --runners 500
          riverrun-bench relay-consume --host https://127.0.0.1:18900 --task t1 --ca DIR/ca.crt --bytes 1000000000 >/dev/null
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || args[0] is "-h" or "--help")
        {
            Console.WriteLine(Usage);
            return args.Length == 0 ? 2 : 0;
        }

        Dictionary<string, string> options;
        try
        {
            options = ParseOptions(args.AsSpan(1));
            switch (args[0])
            {
                case "drain":
                    return await new DrainBench(
                        Required(options, "host"),
                        Required(options, "node"),
                        Int(options, "count", 200),
                        Double(options, "cores", 1)).RunAsync().ConfigureAwait(false);
                case "simulated-runners":
                    return await new SimulatedRunnersBench(
                        Required(options, "host"),
                        Int(options, "host-pid", 0),
                        Int(options, "runners", 500),
                        Double(options, "rate", 20),
                        Double(options, "seconds", 60),
                        Double(options, "task-seconds", 1),
                        Double(options, "cores", 4)).RunAsync().ConfigureAwait(false);
                case "submit":
                case "submit-floor":
                    return await SubmitBench.SubmitAsync(
                        Required(options, "host"),
                        Int(options, "clients", 8),
                        Int(options, "count", 10_000),
                        floor: args[0] == "submit-floor").ConfigureAwait(false);
                case "active":
                    return await SubmitBench.CountActiveAsync(Required(options, "host")).ConfigureAwait(false);
                case "relay-server":
                    return await RelayServer.RunAsync(
                        PositiveInt(options, "port"),
                        Flag(options, "tls", true),
                        options.GetValueOrDefault("dir")).ConfigureAwait(false);
                case "relay-produce":
                    return await RelayProducer.RunAsync(
                        Required(options, "host"),
                        options.GetValueOrDefault("ca"),
                        Required(options, "task"),
                        Required(options, "file"),
                        Long(options, "bytes", -1)).ConfigureAwait(false);
                case "relay-consume":
                    return await ConsumeAsync(options).ConfigureAwait(false);
                default:
                    throw new ArgumentException($"unknown benchmark '{args[0]}': use drain, simulated-runners, submit, submit-floor, active, relay-server, relay-produce or relay-consume (--help shows them)");
            }
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync($"riverrun-bench: {ex.Message}").ConfigureAwait(false);
            return 2;
        }
    }

    private static Task<int> ConsumeAsync(Dictionary<string, string> options)
    {
        if (options.ContainsKey("bytes") && options.ContainsKey("from-memory"))
        {
            throw new ArgumentException("give --bytes (relayed from a producer) or --from-memory, not both");
        }

        var fromMemory = options.ContainsKey("from-memory");
        return RelayConsumer.RunAsync(
            Required(options, "host"),
            options.GetValueOrDefault("ca"),
            Required(options, "task"),
            fromMemory ? Long(options, "from-memory", 0) : Long(options, "bytes", -1),
            fromMemory);
    }

    private static Dictionary<string, string> ParseOptions(ReadOnlySpan<string> args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"expected --NAME VALUE, got '{args[i]}' (--help shows the options)");
            }

            options[args[i][2..]] = args[i + 1];
        }

        return options;
    }

    private static string Required(Dictionary<string, string> options, string name) =>
        options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"--{name} is required (--help shows the options)");

    private static int Int(Dictionary<string, string> options, string name, int fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= 0 ? value
        : throw new ArgumentException($"--{name} '{text}' is not a whole number ≥ 0");

    private static long Long(Dictionary<string, string> options, string name, long fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"--{name} '{text}' is not a whole number > 0");

    private static int PositiveInt(Dictionary<string, string> options, string name) =>
        Int(options, name, 0) is > 0 and var value ? value : throw new ArgumentException($"--{name} is required and must be > 0 (--help shows the options)");

    private static bool Flag(Dictionary<string, string> options, string name, bool fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : text switch
        {
            "1" => true,
            "0" => false,
            _ => throw new ArgumentException($"--{name} '{text}' is neither 1 nor 0"),
        };

    private static double Double(Dictionary<string, string> options, string name, double fallback) =>
        !options.TryGetValue(name, out var text) ? fallback
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0 ? value
        : throw new ArgumentException($"--{name} '{text}' is not a number > 0");
}
