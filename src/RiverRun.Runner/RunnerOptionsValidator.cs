using Microsoft.Extensions.Options;
using RiverRun.Contracts.Tls;
using RiverRun.Core;

namespace RiverRun.Runner;

/// <summary>
/// Checks <see cref="RunnerOptions"/> on their own, before the Runner looks at the machine. Each
/// failure starts with where the value came from — the flag, the RIVERRUN_* variable, or the file,
/// line and key (<see cref="RunnerOptions.Origins"/>) — so the operator knows what to change. Only checks: creating the state directory is the start's job (<see cref="RunnerStartup"/>).
/// </summary>
internal sealed class RunnerOptionsValidator : IValidateOptions<RunnerOptions>
{
    public ValidateOptionsResult Validate(string? name, RunnerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        List<string> failures = [];
        if (options.HostUrl is not { IsAbsoluteUri: true } hostUrl || (hostUrl.Scheme != Uri.UriSchemeHttp && hostUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"{options.Origins.Name(RunnerSettings.Host)}: '{options.HostUrl?.OriginalString}' must be an absolute http:// or https:// address, e.g. http://head:8700");
        }

        if (options.TrustedCaFile is { } caFile)
        {
            if (options.HostUrl is { IsAbsoluteUri: true, Scheme: "http" })
            {
                failures.Add($"{options.Origins.Name(RunnerSettings.TrustedCa)}: {caFile} is given, but the Host address {options.HostUrl.OriginalString} is cleartext; use https:// for a Host that serves TLS, or drop the CA for one that does not");
            }

            try
            {
                TrustedCaFile.Load(caFile, options.Origins.Name(RunnerSettings.TrustedCa));
            }
            catch (TlsSetupException ex)
            {
                failures.Add(ex.Message);
            }
        }

        if (options.Name is not null && NodeName.Validate(options.Name) is { } nameError)
        {
            failures.Add($"{options.Origins.Name(RunnerSettings.Name)}: {nameError}");
        }

        if (options.Cores is { } cores && !CoreCount.TryFromCores(cores, out _, out var coresError))
        {
            failures.Add($"{options.Origins.Name(RunnerSettings.Cores)}: {coresError}");
        }

        if (options.MemoryBytes is { } memory and <= 0)
        {
            failures.Add($"{options.Origins.Name(RunnerSettings.Memory)}: must be at least one byte, not {memory}");
        }

        if (string.IsNullOrWhiteSpace(options.StateDirectory) || !Path.IsPathFullyQualified(options.StateDirectory))
        {
            failures.Add($"{options.Origins.Name(RunnerSettings.StateDirectory)}: '{options.StateDirectory}' must be an absolute path, e.g. /var/lib/riverrun-runner");
        }

        if (options.Instance is not null && RunnerInstance.Validate(options.Instance) is { } instanceError)
        {
            failures.Add($"--instance: {instanceError}");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
