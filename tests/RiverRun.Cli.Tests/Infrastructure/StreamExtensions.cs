namespace RiverRun.Cli.Tests.Infrastructure;

internal static class StreamExtensions
{
    public static T As<T>(this Stream stream)
        where T : Stream => (T)stream;
}
