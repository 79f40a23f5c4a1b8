namespace RiverRun.Contracts.Rpc;

/// <summary>Settings of an <see cref="RpcChannel"/>, read once when the channel is created.</summary>
public sealed class RpcChannelOptions
{
    /// <summary>Headers sent with every call (call-specific headers are added after them).</summary>
    public IDictionary<string, string> DefaultHeaders { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>When set, every call carries "authorization: Bearer &lt;token&gt;".</summary>
    public string? BearerToken { get; set; }

    /// <summary>The largest response message accepted; a larger one fails the call with ResourceExhausted. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = MessageFraming.DefaultMaxReceiveMessageSize;

    /// <summary>How long a connection may be silent before an HTTP/2 PING is sent. Pings run even while
    /// streams are open and idle, which is how a dead peer of a long-lived stream is noticed. Default 20 s.</summary>
    public TimeSpan KeepAlivePingDelay { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long to wait for a PING's answer before the connection (and its calls) is declared dead. Default 20 s.</summary>
    public TimeSpan KeepAlivePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long establishing a connection (TCP and TLS) may take. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>A last say over the handler, e.g. to trust a self-signed Host certificate via SslOptions.</summary>
    public Action<System.Net.Http.SocketsHttpHandler>? ConfigureHandler { get; set; }
}
