using System.Globalization;

namespace RiverRun.Systemd.Notify;

/// <summary>
/// The listening sockets systemd passed to this process (socket activation: LISTEN_PID,
/// LISTEN_FDS, per sd_listen_fds(3)); they start at file descriptor 3.
/// </summary>
public static class SocketActivation
{
    /// <summary>The first file descriptor systemd passes (SD_LISTEN_FDS_START).</summary>
    public const int FirstDescriptor = 3;

    /// <summary>
    /// The descriptors passed to <paramref name="processId"/>; empty when none were, or when
    /// they were meant for another process (a parent that did not clear the variables).
    /// </summary>
    public static IReadOnlyList<int> Parse(string? listenPid, string? listenFds, int processId)
    {
        if (!int.TryParse(listenPid, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid != processId
            || !int.TryParse(listenFds, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            return [];
        }

        return [.. Enumerable.Range(FirstDescriptor, count)];
    }

    /// <summary>
    /// The descriptors passed to this process. Clears the variables, as sd_listen_fds does, so
    /// nothing this process starts mistakes them for its own.
    /// </summary>
    public static IReadOnlyList<int> TakeFromEnvironment()
    {
        var descriptors = Parse(Environment.GetEnvironmentVariable("LISTEN_PID"), Environment.GetEnvironmentVariable("LISTEN_FDS"), Environment.ProcessId);
        Environment.SetEnvironmentVariable("LISTEN_PID", null);
        Environment.SetEnvironmentVariable("LISTEN_FDS", null);
        Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);
        return descriptors;
    }
}
