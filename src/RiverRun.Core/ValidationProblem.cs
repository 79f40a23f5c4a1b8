namespace RiverRun.Core;

/// <summary>
/// One thing wrong with submitted input: the field as the wire names it (e.g. "argv[0]",
/// "env[PATH]", "resources.cores") and what is wrong with it, so the Host can answer
/// InvalidArgument naming the field and the CLI can print it.
/// </summary>
public sealed record ValidationProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
