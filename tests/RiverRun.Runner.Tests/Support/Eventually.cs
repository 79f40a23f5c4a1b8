namespace RiverRun.Runner.Tests;

/// <summary>Waits for a condition with a generous deadline; the deadline only bounds a failing test.</summary>
internal static class Eventually
{
    public static async Task<T> ValueAsync<T>(Func<T?> probe, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            if (probe() is { } value)
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("The condition did not become true in time.");
            }

            await Task.Delay(20);
        }
    }
}
