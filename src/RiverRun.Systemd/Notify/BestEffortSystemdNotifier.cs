using System.Net.Sockets;
using Microsoft.Extensions.Hosting.Systemd;

namespace RiverRun.Systemd.Notify;

/// <summary>
/// Tells systemd what it can, and never fails the caller: <see cref="SystemdNotifier"/> opens a
/// socket for every message, and when the process is out of descriptors that throws. A service
/// must not stop because a status line could not be sent; a missed WATCHDOG=1 is what the watchdog
/// is for, and the next message tries again.
/// </summary>
public sealed class BestEffortSystemdNotifier(ISystemdNotifier inner) : ISystemdNotifier
{
    /// <summary>A notifier for the socket systemd passed in NOTIFY_SOCKET, if any.</summary>
    public BestEffortSystemdNotifier()
        : this(new SystemdNotifier())
    {
    }

    /// <inheritdoc />
    public bool IsEnabled => inner.IsEnabled;

    /// <inheritdoc />
    public void Notify(ServiceState state)
    {
        try
        {
            inner.Notify(state);
        }
        catch (SocketException)
        {
            // Out of descriptors or buffers for a moment: this message is lost, the next one is sent.
        }
    }
}
