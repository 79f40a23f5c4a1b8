using Google.Protobuf;

namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Everything both ends need to agree on for one RPC: where it lives (its HTTP/2 path), how many
/// messages each side sends, and how to parse them.
/// </summary>
/// <typeparam name="TRequest">The request message type.</typeparam>
/// <typeparam name="TResponse">The response message type.</typeparam>
public sealed class RpcMethod<TRequest, TResponse>
    where TRequest : class, IMessage<TRequest>
    where TResponse : class, IMessage<TResponse>
{
    /// <summary>Describes one method of a service.</summary>
    /// <param name="serviceName">The service's full name: proto package and service, e.g. "riverrun.v1.Tasks".</param>
    /// <param name="name">The method name as in the .proto, e.g. "Submit".</param>
    /// <param name="kind">Which sides stream.</param>
    /// <param name="requestParser">Parses requests.</param>
    /// <param name="responseParser">Parses responses.</param>
    public RpcMethod(
        string serviceName,
        string name,
        MethodKind kind,
        MessageParser<TRequest> requestParser,
        MessageParser<TResponse> responseParser)
    {
        ArgumentException.ThrowIfNullOrEmpty(serviceName);
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(requestParser);
        ArgumentNullException.ThrowIfNull(responseParser);
        ServiceName = serviceName;
        Name = name;
        Kind = kind;
        RequestParser = requestParser;
        ResponseParser = responseParser;
        // The gRPC spec fixes the path as "/" Service-Name "/" method-name.
        Path = $"/{serviceName}/{name}";
    }

    /// <summary>The service's full name, e.g. "riverrun.v1.Tasks".</summary>
    public string ServiceName { get; }

    /// <summary>The method name, e.g. "Submit".</summary>
    public string Name { get; }

    /// <summary>Which sides stream.</summary>
    public MethodKind Kind { get; }

    /// <summary>Parses request messages.</summary>
    public MessageParser<TRequest> RequestParser { get; }

    /// <summary>Parses response messages.</summary>
    public MessageParser<TResponse> ResponseParser { get; }

    /// <summary>The HTTP/2 :path of the method, e.g. "/riverrun.v1.Tasks/Submit".</summary>
    public string Path { get; }

    /// <inheritdoc />
    public override string ToString() => Path;
}
