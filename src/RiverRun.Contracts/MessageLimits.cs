namespace RiverRun.Contracts;

/// <summary>
/// The largest gRPC messages RiverRun sends and accepts, set explicitly on both ends so that a
/// message one side may send is never refused by the other.
/// </summary>
/// <remarks>
/// Requests to the Host (a submit, a Runner's output chunk) are small and bounded by
/// <see cref="MaxRequestBytes"/>. What the Host sends can be bigger than what it accepted: a
/// start command carries a whole submitted spec plus its target, and a page of tasks holds many
/// specs. So everything the Host sends, and everything clients and Runners accept, is bounded by
/// the larger <see cref="MaxResponseBytes"/>.
/// </remarks>
public static class MessageLimits
{
    /// <summary>The largest message the Host accepts (gRPC's usual 4 MiB).</summary>
    public const int MaxRequestBytes = 4 * 1024 * 1024;

    /// <summary>The largest message the Host sends, and clients and Runners accept.</summary>
    public const int MaxResponseBytes = 16 * 1024 * 1024;
}
