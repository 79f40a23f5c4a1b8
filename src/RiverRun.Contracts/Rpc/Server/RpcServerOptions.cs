namespace RiverRun.Contracts.Rpc;

/// <summary>
/// Server-wide settings for mapped RPC methods. Configure with
/// <c>services.Configure&lt;RpcServerOptions&gt;(o =&gt; ...)</c>; without that the defaults apply.
/// </summary>
public sealed class RpcServerOptions
{
    /// <summary>The largest request message accepted; a larger one fails the call with ResourceExhausted
    /// before its bytes are buffered. Default 4 MiB.</summary>
    public int MaxReceiveMessageSize { get; set; } = MessageFraming.DefaultMaxReceiveMessageSize;
}
