using System.CommandLine;
using RiverRun.Cli.Output;
using RiverRun.Cli.Parsing;
using RiverRun.Contracts.V1;
using RiverRun.Core;

namespace RiverRun.Cli.Commands;

/// <summary><c>riverrun list</c>: tasks, newest first.</summary>
public static class ListCommand
{
    /// <summary>How many tasks are listed when --limit is not given.</summary>
    public const int DefaultLimit = 50;

    // The Host's largest page.
    private const int MaxPageSize = 1000;

    public static Command Create(CommandServices services)
    {
        ArgumentNullException.ThrowIfNull(services);
        var command = new Command("list", "List tasks, newest first");
        CommandHelp.SetDetails(command, """
            Prints a table: ID STATE NODE OWNER CREATED COMMAND (OWNER: the token that submitted it).

            Examples:
              riverrun list --state running --state queued
              riverrun list --node node1 --limit 200
            """);
        var states = new Option<string[]>("--state", "-s")
        {
            Description = $"Only tasks in this state; repeatable. One of {string.Join(", ", TaskStateNames.All)}",
            HelpName = "STATE",
            AllowMultipleArgumentsPerToken = false,
        };
        var node = new Option<string?>("--node", "-n") { Description = "Only tasks placed on this node", HelpName = "NODE" };
        var limit = new Option<int>("--limit", "-l")
        {
            Description = "At most this many tasks",
            HelpName = "N",
            DefaultValueFactory = _ => DefaultLimit,
        };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() < 1)
            {
                result.AddError("--limit must be at least 1");
            }
        });
        command.Options.Add(states);
        command.Options.Add(node);
        command.Options.Add(limit);
        command.SetAction((parseResult, _) =>
        {
            var request = new ListTasksRequest();
            foreach (var text in parseResult.GetValue(states) ?? [])
            {
                if (!TaskStateNames.TryParse(text, out var state, out var error))
                {
                    throw CliException.Usage("--state: " + error);
                }

                request.States.Add(state);
            }

            if (parseResult.GetValue(node) is { Length: > 0 } nodeName)
            {
                if (NodeName.Validate(nodeName) is { } nodeError)
                {
                    throw CliException.Usage("--node: " + nodeError);
                }

                request.Node = nodeName;
            }

            var max = parseResult.GetValue(limit);
            return services.CallHostAsync(parseResult, "listing tasks", async host =>
            {
                var tasks = new List<TaskInfo>();
                do
                {
                    request.PageSize = Math.Min(max - tasks.Count, MaxPageSize);
                    var page = await host.Tasks.ListAsync(request).ResponseAsync.ConfigureAwait(false);
                    tasks.AddRange(page.Tasks.Take(max - tasks.Count));
                    request.PageToken = page.NextPageToken;
                }
                while (tasks.Count < max && request.PageToken.Length > 0);

                await services.Context.Out.WriteAsync(TaskPrinter.List(tasks, services.Context.Time.GetUtcNow())).ConfigureAwait(false);
                return ExitCodes.Success;
            });
        });
        return command;
    }
}
