namespace RiverRun.Systemd.Notify;

/// <summary>What the service is doing, in one line a person reads in <c>systemctl status</c> (STATUS=).</summary>
public interface IServiceStatusSource
{
    /// <summary>e.g. "12 running, 40 queued, 3 nodes connected".</summary>
    ValueTask<string> DescribeAsync(CancellationToken cancellationToken);
}
