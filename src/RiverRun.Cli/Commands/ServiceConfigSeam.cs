using System.Net;
using RiverRun.Host;

namespace RiverRun.Cli.Commands;

/// <summary>
/// What `init service` needs to know from the Host's configuration file: its listen address,
/// which riverrun-host.socket listens on.
/// </summary>
/// <remarks>
/// TEMPORARY SEAM: reads only a top-level <c>listen = "..."</c> line. To be switched to the shared
/// configuration loader (host.toml through Microsoft.Extensions.Configuration) when it lands, so
/// that the file is read the one way the Host reads it.
/// </remarks>
public static class ServiceConfigSeam
{
    /// <summary>The Host's listen address from <paramref name="hostConfigPath"/>, else the Host's default (127.0.0.1:8700).</summary>
    /// <exception cref="CliException">The file's listen value is not a listen address (exit 2, naming file and line).</exception>
    public static IPEndPoint HostListenAddress(string? hostConfigPath)
    {
        var text = new HostOptions().Listen;
        if (hostConfigPath is not null && File.Exists(hostConfigPath))
        {
            var lineNumber = 0;
            foreach (var rawLine in File.ReadLines(hostConfigPath))
            {
                lineNumber++;
                var line = rawLine.Trim();
                if (line.StartsWith('['))
                {
                    // A table starts: `listen` below it is not the Host's top-level key.
                    break;
                }

                var equals = line.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0 || line[..equals].Trim() != "listen")
                {
                    continue;
                }

                var value = line[(equals + 1)..].Trim();
                var hash = value.IndexOf('#', value.StartsWith('"') ? value.IndexOf('"', 1) + 1 : 0);
                value = (hash > 0 ? value[..hash] : value).Trim().Trim('"', '\'');
                if (!ListenAddress.TryParse(value, out var endpoint, out var error))
                {
                    throw CliException.Usage($"{hostConfigPath}, line {lineNumber}, key 'listen': {error}");
                }

                return endpoint;
            }
        }

        return ListenAddress.Parse(text);
    }
}
