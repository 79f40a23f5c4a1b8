using Grpc.Core;
using Grpc.Net.Client;
using RiverRun.Contracts;
using RiverRun.Cli.Tls;
using RiverRun.Contracts.Tls;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Cli;

/// <summary>
/// Where the Host is and how to talk to it: <c>--host</c>, else RIVERRUN_HOST, else
/// <see cref="DefaultAddress"/>; the client token from RIVERRUN_TOKEN, else
/// <c>~/.config/riverrun/token</c> (<see cref="ClientToken"/>). Also turns failed calls
/// into the one-line messages and exit codes users see.
/// </summary>
public sealed class HostConnection : IDisposable
{
    /// <summary>The Host's address when nothing else is given.</summary>
    public const string DefaultAddress = "http://127.0.0.1:8700";

    /// <summary>The environment variable naming the Host.</summary>
    public const string HostVariable = "RIVERRUN_HOST";

    /// <summary>The environment variable holding the client token (never a command-line option: it would show in ps).</summary>
    public const string TokenVariable = "RIVERRUN_TOKEN";

    /// <summary>The environment variable naming the CA file an https:// Host's certificate must chain to.</summary>
    public const string CaVariable = "RIVERRUN_CA";

    private readonly GrpcChannel _channel;

    private HostConnection(string address, GrpcChannel channel)
    {
        Address = address;
        _channel = channel;
        Tasks = new V1.Tasks.TasksClient(channel);
        Nodes = new V1.Nodes.NodesClient(channel);
        Tokens = new V1.Tokens.TokensClient(channel);
    }

    /// <summary>The Host's address as used, e.g. http://127.0.0.1:8700.</summary>
    public string Address { get; }

    /// <summary>The Tasks service.</summary>
    public V1.Tasks.TasksClient Tasks { get; }

    /// <summary>The Nodes service.</summary>
    public V1.Nodes.NodesClient Nodes { get; }

    /// <summary>The Tokens service (admin tokens only).</summary>
    public V1.Tokens.TokensClient Tokens { get; }

    /// <summary>Connects (lazily: nothing is sent until the first call) to the Host the options and environment name.</summary>
    /// <exception cref="CliException">The address is not a usable http:// or https:// URL, or the CA file cannot be used (exit 2).</exception>
    public static HostConnection Open(string? hostOption, string? caOption, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var (address, source) = ResolveAddress(hostOption, context.GetEnvironmentVariable(HostVariable));
        var (caFile, caSource) = !string.IsNullOrWhiteSpace(caOption) ? (caOption.Trim(), "--ca")
            : context.GetEnvironmentVariable(CaVariable) is { } variable && !string.IsNullOrWhiteSpace(variable) ? (variable.Trim(), CaVariable)
            : ((string?)null, "--ca");
        var options = new HostChannelOptions
        {
            BearerToken = ClientToken.Resolve(context),
            ConnectTimeout = TimeSpan.FromSeconds(5),
            TrustedCaFile = caFile,
            TrustedCaSource = caSource,
            Time = context.Time,
        };
        try
        {
            var connection = new HostConnection(address, HostChannel.Create(address, options));
            if (caFile is not null && context.OwnsProcess)
            {
                // The CA file was just read and found usable (HostChannel refuses it otherwise).
                SystemTrustStoreRedirect.Apply(caFile);
            }

            return connection;
        }
        catch (TlsSetupException ex)
        {
            throw CliException.Usage(ex.Message);
        }
        catch (ArgumentException)
        {
            throw CliException.Usage($"{source} '{address}' is not a Host address; use http://HOST:PORT or https://HOST:PORT, e.g. {DefaultAddress}");
        }
    }

    /// <summary>The address to use and where it came from (for messages): option, environment or default.</summary>
    public static (string Address, string Source) ResolveAddress(string? hostOption, string? hostVariable)
    {
        var (raw, source) = !string.IsNullOrWhiteSpace(hostOption) ? (hostOption, "--host")
            : !string.IsNullOrWhiteSpace(hostVariable) ? (hostVariable, HostVariable)
            : (DefaultAddress, "the default Host address");
        raw = raw.Trim();
        // "node1:8700" reads as a URI with scheme "node1"; a bare host[:port] means plain http.
        var address = raw.Contains("://", StringComparison.Ordinal) ? raw : "http://" + raw;
        return (address.TrimEnd('/'), source);
    }

    /// <summary>The message and exit code for a failed call; <paramref name="what"/> names what was asked ("submit", "task abc").</summary>
    public CliException Describe(RpcException exception, string what)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var detail = exception.Status.Detail.Length > 0 ? exception.Status.Detail : exception.StatusCode.ToString();
        if (IsTransportFailure(exception) && Uri.TryCreate(Address, UriKind.Absolute, out var uri) && HostTransportFailure.Describe(uri, exception) is { } tls)
        {
            // Said plainly, whatever status grpc-dotnet chose for it (a refused certificate comes as Internal).
            return new CliException(ExitCodes.Unavailable, $"{what} failed: {tls}");
        }

        return exception.StatusCode switch
        {
            StatusCode.InvalidArgument or StatusCode.NotFound or StatusCode.FailedPrecondition
                or StatusCode.AlreadyExists or StatusCode.OutOfRange => CliException.Usage(detail),
            // A transport failure carries the exception that broke the connection; an Unavailable
            // the Host sent itself (a Runner that did not answer, a shutdown) does not, and its
            // detail says what happened: the Host was reached, so "cannot reach" would mislead.
            StatusCode.Unavailable when !IsTransportFailure(exception) && exception.Status.Detail.Length > 0 => new CliException(
                ExitCodes.Unavailable,
                $"{what} did not complete: the Host at {Address} answered: {exception.Status.Detail}"),
            StatusCode.Unavailable => new CliException(
                ExitCodes.Unavailable,
                $"cannot reach the Host at {Address} ({RootCause(exception)}); is it running? Point elsewhere with --host URL or {HostVariable}=URL"),
            StatusCode.DeadlineExceeded => new CliException(ExitCodes.Unavailable, $"the Host at {Address} did not answer in time ({what})"),
            StatusCode.Unauthenticated => new CliException(
                ExitCodes.Unavailable,
                $"the Host at {Address} did not accept the credentials ({detail}); set {TokenVariable} to a client token, or put it in {ClientToken.FileHint} (mode 0600)"),
            StatusCode.PermissionDenied => new CliException(
                ExitCodes.Unavailable,
                $"the Host at {Address} refused {what}: {detail}"),
            StatusCode.Unimplemented => new CliException(
                ExitCodes.Unavailable,
                $"the Host at {Address} does not support {what} ({detail}); is it an older RiverRun, or not a RiverRun Host?"),
            _ => new CliException(ExitCodes.Unavailable, $"{what} failed at the Host {Address}: {exception.StatusCode}: {detail}"),
        };
    }

    public void Dispose() => _channel.Dispose();

    /// <summary>
    /// True when the call failed in the client or on the way (no connection, a broken stream),
    /// not with a status the Host chose: grpc-dotnet then keeps the exception behind it.
    /// </summary>
    public static bool IsTransportFailure(RpcException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception.Status.DebugException is not null;
    }

    // "Connection refused (127.0.0.1:8700)" rather than the whole chain of wrappers around it.
    private static string RootCause(RpcException exception)
    {
        var root = exception.Status.DebugException?.GetBaseException();
        return root is null || root.Message.Length == 0
            ? (exception.Status.Detail.Length > 0 ? exception.Status.Detail : exception.StatusCode.ToString())
            : root.Message;
    }
}
