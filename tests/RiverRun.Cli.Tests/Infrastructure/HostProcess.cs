using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace RiverRun.Cli.Tests.Infrastructure;

/// <summary>
/// A real <c>riverrun host</c> process — the executable the solution build made — with its
/// output captured. <see cref="StartAsync"/> waits until it listens (and reads the port Kestrel
/// chose for :0) or has exited.
/// </summary>
internal sealed partial class HostProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<int> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private HostProcess(Process process)
    {
        _process = process;
    }

    /// <summary>The port gRPC listens on; valid after a successful <see cref="StartAsync"/>.</summary>
    public int Port { get; private set; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code; valid once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Everything it wrote so far, standard output and error interleaved by line.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>riverrun host ARGS</c> and returns once it listens or has exited.</summary>
    public static async Task<HostProcess> StartAsync(params string[] arguments)
    {
        var host = Start(Executable(), ["host", .. arguments]);
        var exited = host._process.WaitForExitAsync();
        var first = await Task.WhenAny(host._listening.Task, exited).WaitAsync(CliRun.Patience);
        if (first == exited)
        {
            // The last lines arrive after the exit is seen: wait for the end of both streams.
            await host._process.WaitForExitAsync();
        }
        else
        {
            host.Port = await host._listening.Task;
        }

        return host;
    }

    /// <summary>
    /// <c>riverrun host ARGS</c> under systemd-socket-activate, which listens on
    /// <paramref name="listen"/> and starts the Host with that socket (LISTEN_FDS) when the first
    /// client connects — as riverrun-host.socket does. Returns once it listens: the Host itself runs only from then on.
    /// </summary>
    public static async Task<HostProcess> StartSocketActivatedAsync(string listen, params string[] arguments)
    {
        const string Activator = "/usr/bin/systemd-socket-activate";
        Assert.True(File.Exists(Activator), $"{Activator} is missing: install the systemd package (it is part of it)");
        var host = Start(Activator, ["--listen", listen, Executable(), "host", .. arguments]);
        host.Port = int.Parse(listen[(listen.LastIndexOf(':') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        await host.WaitForOutputAsync("Listening on ");
        return host;
    }

    /// <summary>Connects once and hangs up: the first connection is what starts a socket-activated Host.</summary>
    public async Task ConnectOnceAsync()
    {
        using var client = new System.Net.Sockets.TcpClient();
        await client.ConnectAsync(System.Net.IPAddress.Loopback, Port);
    }

    /// <summary>A free TCP port on loopback now (another process may take it before it is used: tests only).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static HostProcess Start(string program, string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Nothing of the test runner's environment may configure this Host (or log in journal format).
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("RIVERRUN_", StringComparison.Ordinal) || k is "INVOCATION_ID" or "LISTEN_FDS" or "LISTEN_PID" or "NOTIFY_SOCKET").ToList())
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        var host = new HostProcess(process);
        process.OutputDataReceived += (_, line) => host.Read(line.Data);
        process.ErrorDataReceived += (_, line) => host.Read(line.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until <paramref name="text"/> is in the output (lines written after the listening one).</summary>
    public async Task<string> WaitForOutputAsync(string text)
    {
        using var patience = new CancellationTokenSource(CliRun.Patience);
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            Assert.False(patience.IsCancellationRequested, $"'{text}' did not appear in the Host's output:\n{Output}");
            await Task.Delay(20, CancellationToken.None);
        }

        return Output;
    }

    /// <summary>Waits for the process to end by itself.</summary>
    public async Task<int> WaitForExitAsync()
    {
        await _process.WaitForExitAsync().WaitAsync(CliRun.Patience);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    /// <summary>
    /// The riverrun the solution build made (src/RiverRun.Cli/bin/CONFIGURATION/TFM/riverrun): the
    /// copy beside these tests cannot run on its own, its packages resolve against this project's
    /// shared frameworks.
    /// </summary>
    internal static string Executable()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var (framework, configuration) = (output.Name, output.Parent!.Name);
        for (var directory = output; directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "RiverRun.sln")))
            {
                var path = Path.Join(directory.FullName, "src", "RiverRun.Cli", "bin", configuration, framework, "riverrun");
                return File.Exists(path) ? path : throw new InvalidOperationException($"{path} is missing; build the solution first (dotnet build RiverRun.sln -c {configuration})");
            }
        }

        throw new InvalidOperationException($"RiverRun.sln not found above {AppContext.BaseDirectory}");
    }

    private void Read(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Append(line).Append('\n');
        }

        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    // Kestrel's "Now listening on: https://127.0.0.1:40123" (the real port, also for :0).
    [GeneratedRegex(@"Now listening on: https?://[^ ]*:(\d+)$")]
    private static partial Regex Listening();
}
