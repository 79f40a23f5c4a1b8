using System.Net;

namespace RiverRun.Systemd.Units;

/// <summary>What the generated units are made of; <see cref="Validate"/> checks it before any text is written.</summary>
public sealed record ServiceUnitOptions
{
    /// <summary>The tokens' file: 0600, root's, read by systemd (not by the service) through EnvironmentFile=.</summary>
    public const string EnvironmentFilePath = "/etc/riverrun/riverrun.env";

    /// <summary>The Host's configuration file, by default.</summary>
    public const string DefaultHostConfigPath = "/etc/riverrun/host.toml";

    /// <summary>The Runner's configuration file, by default (an instance NAME layers runner-NAME.toml beside it over it).</summary>
    public const string DefaultRunnerConfigPath = "/etc/riverrun/runner.toml";

    /// <summary>The riverrun executable ExecStart= runs: an absolute path.</summary>
    public required string Executable { get; init; }

    public string HostConfigPath { get; init; } = DefaultHostConfigPath;

    public string RunnerConfigPath { get; init; } = DefaultRunnerConfigPath;

    /// <summary>Where riverrun-host.socket listens: the Host's configured listen address.</summary>
    public required IPEndPoint HostListen { get; init; }

    /// <summary>
    /// The Host's TLS certificate and key files (<c>tls_cert</c>, <c>tls_key</c> in its configuration),
    /// or null without TLS: riverrun-host.service hands them to the Host's dynamic user with LoadCredential=.
    /// </summary>
    public string? HostTlsCertificate { get; init; }

    /// <summary>See <see cref="HostTlsCertificate"/>.</summary>
    public string? HostTlsKey { get; init; }

    /// <summary>A unit every generated service names in OnFailure=, or null.</summary>
    public string? OnFailure { get; init; }

    /// <summary>Every problem, one line each, naming the option; empty when valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        CheckPath(problems, "--exec", Executable);
        CheckPath(problems, "--host-config", HostConfigPath);
        CheckPath(problems, "--runner-config", RunnerConfigPath);
        if (HostTlsCertificate is not null)
        {
            CheckPath(problems, "tls_cert (the Host's configuration)", HostTlsCertificate);
        }

        if (HostTlsKey is not null)
        {
            CheckPath(problems, "tls_key (the Host's configuration)", HostTlsKey);
        }

        if (HostListen.Port == 0)
        {
            problems.Add($"the Host's listen address {HostListen} has port 0; socket activation needs a fixed port, e.g. 127.0.0.1:8700");
        }

        if (OnFailure is not null && UnitSyntax.ValidateUnitName(OnFailure) is { } unitProblem)
        {
            problems.Add("--on-failure: " + unitProblem);
        }

        return problems;
    }

    private static void CheckPath(List<string> problems, string option, string path)
    {
        if (!Path.IsPathFullyQualified(path))
        {
            problems.Add($"{option}: '{path}' is not an absolute path; systemd runs services from /, so give the full path, e.g. /etc/riverrun/host.toml");
        }
        else if (path.Any(char.IsControl))
        {
            problems.Add($"{option}: the path contains a control character, which a unit file cannot hold");
        }
    }
}
