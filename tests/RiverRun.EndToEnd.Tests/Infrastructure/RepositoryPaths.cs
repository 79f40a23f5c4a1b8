namespace RiverRun.EndToEnd.Tests.Infrastructure;

/// <summary>Finds the repository the tests were built from, and the tools in it.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string SandboxScript => Path.Combine(Root, "deploy", "sandbox", "sandbox");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RiverRun.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"RiverRun.sln not found above {AppContext.BaseDirectory}");
    }
}
