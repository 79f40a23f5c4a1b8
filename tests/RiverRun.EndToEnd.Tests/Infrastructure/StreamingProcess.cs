using System.Diagnostics;
using System.Security.Cryptography;

namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>The outcome of a process whose standard output was hashed rather than kept.</summary>
public sealed record HashedProcessResult(int ExitCode, string StdoutSha256, long StdoutLength, string StandardError);

/// <summary>
/// Runs a program whose output is too large to keep (hashes stdout while it streams) or must be
/// watched as it arrives (reports when the first line came).
/// </summary>
public static class StreamingProcess
{
    public static async Task<HashedProcessResult> RunHashingStdoutAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        using var process = Start(fileName, arguments, environment);
        using var cts = new CancellationTokenSource(timeout);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long length = 0;
        var stdout = process.StandardOutput.BaseStream;
        int read;
        while ((read = await stdout.ReadAsync(buffer, cts.Token)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            length += read;
        }

        await process.WaitForExitAsync(cts.Token);
        return new HashedProcessResult(
            process.ExitCode, Convert.ToHexStringLower(sha.GetHashAndReset()), length, await stderr);
    }

    /// <summary>Runs to the end; returns when the first stdout line arrived and when the process ended.</summary>
    public static async Task<(TimeSpan FirstLine, TimeSpan Exited, int ExitCode, string Stdout)> RunTimingFirstLineAsync(
        string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        using var process = Start(fileName, arguments, environment);
        using var cts = new CancellationTokenSource(timeout);
        var stderr = process.StandardError.ReadToEndAsync(cts.Token);
        var first = await process.StandardOutput.ReadLineAsync(cts.Token);
        var firstAt = clock.Elapsed;
        var rest = await process.StandardOutput.ReadToEndAsync(cts.Token);
        await process.WaitForExitAsync(cts.Token);
        await stderr;
        return (firstAt, clock.Elapsed, process.ExitCode, first + "\n" + rest);
    }

    private static Process Start(string fileName, IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"could not start {fileName}");
        process.StandardInput.Close();
        return process;
    }
}
