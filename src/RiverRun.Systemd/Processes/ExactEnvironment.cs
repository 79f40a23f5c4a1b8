using System.Collections;
using CliWrap;

namespace RiverRun.Systemd;

/// <summary>Giving a CliWrap command exactly the environment asked for, and nothing inherited.</summary>
public static class ExactEnvironment
{
    /// <summary>
    /// A copy of the command whose program sees <paramref name="environment"/> as its whole
    /// environment. CliWrap only layers variables over the caller's environment, so on its own it
    /// would hand a task every variable of the Runner, its token included; CliWrap removes a
    /// variable whose value is null, so every inherited variable not asked for is set to null here.
    /// </summary>
    /// <remarks>
    /// The inherited variables are read when this is called: build the command right before
    /// running it. (A variable the caller sets in between would be inherited; the Runner sets none
    /// after it starts.)
    /// </remarks>
    /// <exception cref="ArgumentException">A name is empty or contains '=' or NUL, or a value is null or contains NUL.</exception>
    public static Command WithExactEnvironment(this Command command, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(environment);

        // Ordinal: Linux environment names are case-sensitive, so "Path" must not hide "PATH".
        var variables = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry inherited in Environment.GetEnvironmentVariables())
        {
            variables[(string)inherited.Key] = null;
        }

        foreach (var (name, value) in environment)
        {
            EnvironmentNames.Validate(name, nameof(environment));
            if (value is null || value.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable '{name}' must have a value without NUL characters.", nameof(environment));
            }

            variables[name] = value;
        }

        return command.WithEnvironmentVariables(variables);
    }
}
