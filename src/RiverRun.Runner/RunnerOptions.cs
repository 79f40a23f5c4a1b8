using RiverRun.Core;

namespace RiverRun.Runner;

/// <summary>
/// What <c>riverrun runner</c> was asked for on its command line. Unset values get the machine's
/// defaults at start: the hostname, all cores, all memory.
/// </summary>
public sealed class RunnerOptions
{
    /// <summary>The Host's gRPC address (<c>--host</c>).</summary>
    public Uri HostUrl { get; set; } = new("http://127.0.0.1:8700");

    /// <summary>This Runner's name in the cluster (<c>--name</c>); null for the hostname.</summary>
    public string? Name { get; set; }

    /// <summary>The cores it offers to tasks (<c>--cores</c>); null for all of the machine's.</summary>
    public double? Cores { get; set; }

    /// <summary>The memory it offers to tasks in bytes (<c>--memory</c>); null for all of the machine's.</summary>
    public long? MemoryBytes { get; set; }

    /// <summary>Where Runners keep their state; this one uses <c>&lt;StateDirectory&gt;/&lt;name&gt;/</c>.</summary>
    public string StateDirectory { get; set; } = "/var/lib/riverrun/runner";

    /// <summary>Throws <see cref="ArgumentException"/> whose message names the option and what is wrong.</summary>
    public void Validate()
    {
        if (HostUrl is null || !HostUrl.IsAbsoluteUri || (HostUrl.Scheme != Uri.UriSchemeHttp && HostUrl.Scheme != Uri.UriSchemeHttps))
        {
            throw new ArgumentException($"--host '{HostUrl}' must be an absolute http:// or https:// address, e.g. http://head:8700.", nameof(HostUrl));
        }

        if (Name is not null && NodeName.Validate(Name) is { } nameError)
        {
            throw new ArgumentException($"--name: {nameError}.", nameof(Name));
        }

        if (Cores is { } cores && !CoreCount.TryFromCores(cores, out _, out var coresError))
        {
            throw new ArgumentException($"--cores: {coresError}.", nameof(Cores));
        }

        if (MemoryBytes is <= 0)
        {
            throw new ArgumentException($"--memory must be at least one byte, not {MemoryBytes}.", nameof(MemoryBytes));
        }

        if (string.IsNullOrWhiteSpace(StateDirectory) || !Path.IsPathFullyQualified(StateDirectory))
        {
            throw new ArgumentException($"The state directory '{StateDirectory}' must be an absolute path.", nameof(StateDirectory));
        }
    }
}
