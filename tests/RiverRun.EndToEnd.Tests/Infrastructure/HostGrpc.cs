using Grpc.Core;
using Grpc.Core.Interceptors;
using System.Security.Cryptography.X509Certificates;
using Grpc.Net.Client;
using RiverRun.Contracts.Tls;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>
/// gRPC straight to the sandbox's Host with the generated clients, for what the CLI never does:
/// a fake Runner, a case-changed path, a stream held open while its token is revoked, a value
/// the CLI would refuse before sending. The token goes as "authorization: Bearer" metadata.
/// </summary>
public sealed class HostGrpc : IDisposable
{
    private readonly GrpcChannel _channel;

    public HostGrpc(SandboxCluster cluster, string? token)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        _channel = GrpcChannel.ForAddress(cluster.HostAddress, new GrpcChannelOptions { HttpHandler = TrustingOnly(cluster.CaFile, new Uri(cluster.HostAddress).Host) });
        Invoker = token is null
            ? _channel.CreateCallInvoker()
            : _channel.Intercept(metadata =>
            {
                metadata.Add("authorization", "Bearer " + token);
                return metadata;
            });
    }

    public CallInvoker Invoker { get; }

    // TLS is on in the sandbox: the Host's certificate is checked by the same policy riverrun's
    // own clients use with --ca (that CA only, the dialled name, valid now).
    private static SocketsHttpHandler TrustingOnly(string caFile, string hostName)
    {
        var policy = new HostCertificatePolicy(hostName, TrustedCaFile.Load(caFile, "--ca"), $"--ca {caFile}", TimeProvider.System);
        var handler = new SocketsHttpHandler { UseProxy = false };
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) =>
            policy.Check(certificate as X509Certificate2, chain?.ChainElements.Select(element => element.Certificate) ?? [], errors) is null;
        return handler;
    }

    public V1.Tasks.TasksClient Tasks => new(Invoker);

    public V1.Nodes.NodesClient Nodes => new(Invoker);

    public V1.Tokens.TokensClient Tokens => new(Invoker);

    public V1.Runners.RunnersClient Runners => new(Invoker);

    /// <summary>Opens Runners/Connect, registers as <paramref name="node"/> and returns the Host's first answer (Registered), or throws its refusal.</summary>
    public static async Task<V1.HostMessage> RegisterAsync(AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> call, string node)
    {
        ArgumentNullException.ThrowIfNull(call);
        // Tiny capacity: while this fake is connected, the scheduler has no reason to place a task on it.
        var register = new V1.Register { Name = node, Hostname = node, Version = "e2e-fake", Capacity = new V1.Resources { Cores = 0.01, MemoryBytes = 1 << 20 } };
        try
        {
            await call.RequestStream.WriteAsync(new V1.RunnerMessage { Register = register });
        }
        catch (RpcException)
        {
            // A Host that refuses the call (no token, wrong role) answers at once and resets the
            // stream; a write racing that reset fails as Cancelled (grpc-dotnet#1394). The Host's
            // answer is in the response, as it is for the Runner, which reads it the same way.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            return await call.ResponseStream.MoveNext(timeout.Token)
                ? call.ResponseStream.Current
                : throw new InvalidOperationException($"the Host closed the Connect stream of {node} without an answer");
        }
        catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && !timeout.IsCancellationRequested && AnsweredStatus(call) is { } answered)
        {
            throw new RpcException(answered);
        }
    }

    // The status the Host ended the call with, when it did (the reset may reach the reader first).
    private static Status? AnsweredStatus(AsyncDuplexStreamingCall<V1.RunnerMessage, V1.HostMessage> call)
    {
        try
        {
            var status = call.GetStatus();
            return status.StatusCode is StatusCode.OK or StatusCode.Cancelled ? null : status;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    public void Dispose() => _channel.Dispose();
}
