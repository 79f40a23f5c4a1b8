using System.Diagnostics;
using RiverRun.Contracts.Rpc;
using RiverRun.Contracts.V1;

namespace RiverRun.Contracts.Tests;

/// <summary>
/// A client that is not ours: curl (nghttp2) speaking HTTP/2 with prior knowledge, as a gRPC client does.
/// Checks that our answers are gRPC to the outside world, not only to our own channel.
/// </summary>
public class CurlInteropTests
{
    [CurlFact]
    public async Task Curl_gets_a_unary_answer_with_grpc_status_in_the_trailers()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) => Task.FromResult(new TaskInfo { Id = request.TaskId, Node = "node1" })));
        var request = new GetTaskRequest { TaskId = "t-curl" };

        var (headers, body) = await RunCurlAsync(new Uri(server.Address, TasksMethods.Get.Path), MessageFraming.ToFrame(request));

        Assert.Contains("HTTP/2 200", headers, StringComparison.Ordinal);
        Assert.Contains("content-type: application/grpc", headers, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("grpc-status: 0", headers, StringComparison.Ordinal);
        Assert.Equal(MessageFraming.ToFrame(new TaskInfo { Id = "t-curl", Node = "node1" }), body);
    }

    [CurlFact]
    public async Task Curl_gets_an_error_status_and_an_encoded_message()
    {
        await using var server = await RpcTestServer.StartAsync(app =>
            app.MapUnary(TasksMethods.Get, (request, context) => throw RpcException.NotFound("no task ü")));

        var (headers, body) = await RunCurlAsync(new Uri(server.Address, TasksMethods.Get.Path), MessageFraming.ToFrame(new GetTaskRequest()));

        Assert.Contains("grpc-status: 5", headers, StringComparison.Ordinal);
        Assert.Contains("grpc-message: no task %C3%BC", headers, StringComparison.Ordinal);
        Assert.Empty(body);
    }

    internal static bool CurlSpeaksHttp2()
    {
        try
        {
            using var curl = Process.Start(new ProcessStartInfo("curl", "--version") { RedirectStandardOutput = true, UseShellExecute = false });
            if (curl is null)
            {
                return false;
            }

            var version = curl.StandardOutput.ReadToEnd();
            curl.WaitForExit();
            return curl.ExitCode == 0 && version.Contains("HTTP2", StringComparison.Ordinal);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    /// <summary>POSTs the body with curl; returns the dumped headers (trailers included) and the response body.</summary>
    private static async Task<(string Headers, byte[] Body)> RunCurlAsync(Uri url, byte[] requestBody)
    {
        var directory = Directory.CreateTempSubdirectory("riverrun-curl-");
        try
        {
            var requestFile = Path.Combine(directory.FullName, "request.bin");
            var headersFile = Path.Combine(directory.FullName, "headers.txt");
            var bodyFile = Path.Combine(directory.FullName, "body.bin");
            await File.WriteAllBytesAsync(requestFile, requestBody);
            var start = new ProcessStartInfo("curl")
            {
                UseShellExecute = false,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "--silent", "--show-error", "--http2-prior-knowledge", "--max-time", "10",
                    "-X", "POST",
                    "-H", "content-type: application/grpc",
                    "-H", "te: trailers",
                    "--data-binary", "@" + requestFile,
                    "--dump-header", headersFile,
                    "--output", bodyFile,
                    url.ToString(),
                },
            };
            using var curl = Process.Start(start)!;
            var errors = await curl.StandardError.ReadToEndAsync();
            await curl.WaitForExitAsync().WaitAsync(TestMethods.Patience);
            Assert.True(curl.ExitCode == 0, $"curl failed ({curl.ExitCode}): {errors}");
            var body = File.Exists(bodyFile) ? await File.ReadAllBytesAsync(bodyFile) : [];
            return (await File.ReadAllTextAsync(headersFile), body);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}

/// <summary>A test that needs an HTTP/2-capable curl; reported as skipped (not passed) where there is none.</summary>
internal sealed class CurlFactAttribute : FactAttribute
{
    public CurlFactAttribute()
    {
        if (!CurlInteropTests.CurlSpeaksHttp2())
        {
            Skip = "curl with HTTP/2 support is not installed.";
        }
    }
}
