using RiverRun.Systemd.Notify;

namespace RiverRun.Host;

/// <summary>
/// The listening sockets systemd passed to the Host (socket activation, riverrun-host.socket).
/// When there is one, the Host serves gRPC on it instead of binding its listen address itself:
/// the socket accepted the first client's connection before the Host even ran.
/// </summary>
/// <param name="Descriptors">File descriptors of listening sockets; empty without socket activation.</param>
public sealed record PassedListenSockets(IReadOnlyList<int> Descriptors)
{
    /// <summary>What systemd passed to this process (taken from its environment, once).</summary>
    public static PassedListenSockets FromEnvironment() => new(SocketActivation.TakeFromEnvironment());
}
