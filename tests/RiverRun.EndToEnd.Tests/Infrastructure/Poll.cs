namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>Waiting for something the sandbox does in the background (a unit stopped, a spool dropped).</summary>
public static class Poll
{
    /// <summary>Checks <paramref name="condition"/> every 200 ms until it holds; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"condition not met within {timeout}");
            }

            await Task.Delay(200);
        }
    }
}
