using System.Globalization;

namespace RiverRun.Host;

/// <summary>What <c>riverrun host</c> is configured with. Defaults suit a single-machine start.</summary>
public sealed class HostOptions
{
    /// <summary>Where the gRPC server listens: "host:port" (see <see cref="ListenAddress"/>).</summary>
    public string Listen { get; set; } = "127.0.0.1:8700";

    /// <summary>Where riverrun.db and the task output live; created when missing.</summary>
    public string DataDirectory { get; set; } = "/var/lib/riverrun";

    /// <summary>How often Runners send heartbeats.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a node's Runner may stay disconnected before its tasks are given up: RUNNING and
    /// PAUSED become LOST, ASSIGNED (never reported started) go back to the queue.
    /// </summary>
    public TimeSpan NodeLostAfter { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Checks every option and creates the data directory. Throws <see cref="HostConfigurationException"/>
    /// listing every problem, one per line, each naming the option.
    /// </summary>
    public void Validate()
    {
        var problems = new List<string>();
        if (!ListenAddress.TryParse(Listen, out _, out var listenError))
        {
            problems.Add($"Listen: {listenError}");
        }

        if (HeartbeatInterval < TimeSpan.FromMilliseconds(100) || HeartbeatInterval > TimeSpan.FromHours(1))
        {
            problems.Add($"HeartbeatInterval: {HeartbeatInterval.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s is out of range; use 0.1 s to 1 h");
        }

        // Below a few seconds a Runner restart or a network blip would lose its tasks; beyond a week
        // they hold their node's capacity so long it is surely a typo.
        if (NodeLostAfter < TimeSpan.FromSeconds(5) || NodeLostAfter > TimeSpan.FromDays(7))
        {
            problems.Add($"NodeLostAfter: {DurationText.Format(NodeLostAfter)} is out of range; use 5s to 7d");
        }

        if (string.IsNullOrWhiteSpace(DataDirectory))
        {
            problems.Add("DataDirectory: is empty; give a directory for riverrun.db and task output, e.g. /var/lib/riverrun");
        }
        else if (CheckDataDirectory(DataDirectory) is { } directoryError)
        {
            problems.Add($"DataDirectory: {directoryError}");
        }

        if (problems.Count > 0)
        {
            throw new HostConfigurationException(string.Join(Environment.NewLine, problems));
        }
    }

    // Creating it and writing a probe file is the only reliable test: permissions, read-only mounts, full disks.
    private static string? CheckDataDirectory(string path)
    {
        try
        {
            var full = Path.GetFullPath(path);
            Directory.CreateDirectory(full);
            var probe = Path.Combine(full, $".riverrun-write-test-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}");
            File.WriteAllBytes(probe, []);
            File.Delete(probe);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return $"'{path}' cannot be created or written: {ex.Message}";
        }
    }
}
