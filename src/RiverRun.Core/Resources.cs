using System.Globalization;

namespace RiverRun.Core;

/// <summary>
/// An amount of compute: what a task asks for, what a node has, or what it has handed out.
/// </summary>
/// <remarks>
/// 0 in a request means "no limit asked" for that dimension: such a task gets no CPUQuota (or
/// MemoryMax) and counts as using 0 of the node for accounting, so it always fits. Results of
/// subtraction may be negative (a node that re-registered smaller than what it has handed out),
/// which is why nothing here clamps: the numbers must add up when tasks end.
/// </remarks>
public readonly record struct Resources(double Cores, long MemoryBytes)
{
    // Cores are whole hundredths (CoreCount); sums of such doubles are off by far less than this.
    private const double CoreTolerance = 1e-6;

    /// <summary>No cores and no memory.</summary>
    public static Resources None => default;

    /// <summary>Whether this request fits into <paramref name="free"/>; a dimension asked as 0 always fits.</summary>
    public bool Fits(Resources free) =>
        (Cores <= 0 || Cores <= free.Cores + CoreTolerance)
        && (MemoryBytes <= 0 || MemoryBytes <= free.MemoryBytes);

    public static Resources operator +(Resources left, Resources right) =>
        new(left.Cores + right.Cores, left.MemoryBytes + right.MemoryBytes);

    public static Resources operator -(Resources left, Resources right) =>
        new(left.Cores - right.Cores, left.MemoryBytes - right.MemoryBytes);

    /// <summary>Named form of <c>+</c>.</summary>
    public static Resources Add(Resources left, Resources right) => left + right;

    /// <summary>Named form of <c>-</c>.</summary>
    public static Resources Subtract(Resources left, Resources right) => left - right;

    /// <summary>For messages: "2 cores, 4G memory"; a 0 dimension reads "any".</summary>
    public override string ToString()
    {
        var cores = Cores == 0 ? "any" : Cores.ToString("0.##", CultureInfo.InvariantCulture);
        var memory = MemoryBytes switch
        {
            0 => "any",
            < 0 => MemoryBytes.ToString(CultureInfo.InvariantCulture) + " bytes",
            _ => new ByteSize(MemoryBytes).ToString(),
        };
        return $"{cores} {(Cores == 1 ? "core" : "cores")}, {memory} memory";
    }
}
