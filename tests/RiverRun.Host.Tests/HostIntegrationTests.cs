using System.Text;
using Grpc.Core;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>The Host through its real gRPC server, with a fake Runner written here.</summary>
public sealed class HostIntegrationTests : IAsyncLifetime
{
    // A path rather than a TempDirectory: xunit disposes this class through IAsyncLifetime, after the server stops.
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-host-tests-").FullName;
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_follower_receives_exactly_the_tasks_bytes_once_each_and_ends_with_its_final_state()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var id = await SubmitAsync("node1");
        var watching = CollectAsync(new V1.WatchOutputRequest { TaskId = id, Follow = true });

        var start = await runner.WaitForStartAsync();
        Assert.Equal(id, start.TaskId);
        Assert.Equal(["echo", "hi"], start.Spec.Argv);
        await runner.StartedAsync(id);
        await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "hello "u8.ToArray());
        await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "hello "u8.ToArray());
        await runner.OutputAsync(id, V1.OutputStream.Stdout, 6, "world\n"u8.ToArray());
        var binary = new byte[] { 0xff, 0x00, 0xfe, 0xc3 };
        await runner.OutputAsync(id, V1.OutputStream.Stderr, 0, binary);
        await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, stdout: 12, stderr: 4);
        var events = await watching.WaitAsync(FakeRunner.Patience);

        Assert.Equal(id, events[0].Task.Id);
        Assert.Equal("hello world\n", Encoding.UTF8.GetString(Bytes(events, V1.OutputStream.Stdout)));
        Assert.Equal(binary, Bytes(events, V1.OutputStream.Stderr));
        var last = events[^1].Task;
        Assert.NotNull(last);
        Assert.Equal(V1.TaskState.Succeeded, last.State);
        Assert.Equal(0, last.Exit.ExitCode);
        Assert.Equal(12, last.StdoutLength);
        Assert.Equal(4, last.StderrLength);
        Assert.Equal($"riverrun-{id}.scope", last.Unit);
        // No final state before the end of the output. (The first event is the task as it is when
        // the watch begins: already final if the watch connected after the whole story.)
        Assert.DoesNotContain(events.Skip(1).SkipLast(1), e => e.Task is { } t && t.State is V1.TaskState.Succeeded);
        var finalAck = await runner.WaitForAckAsync(id, 12, 4);
        Assert.Equal(12, finalAck.StdoutOffset);
    }

    [Fact]
    public async Task A_queued_task_waits_until_a_running_task_frees_its_cores()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", cores: 2);
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "sleep", "60") };
        request.Targets.Add([new V1.TargetSelector { Node = "node1" }, new V1.TargetSelector { Node = "node1" }, new V1.TargetSelector { Node = "node1" }]);
        var ids = (await _host.Tasks.SubmitAsync(request)).Tasks.Select(t => t.Id).ToList();

        var first = await runner.WaitForStartAsync();
        var second = await runner.WaitForStartAsync();
        Assert.Equal(ids[..2], [first.TaskId, second.TaskId]);
        Assert.Equal(V1.TaskState.Queued, (await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = ids[2] })).State);
        var nodes = await _host.Nodes.ListAsync(new V1.ListNodesRequest());
        Assert.Equal(2, Assert.Single(nodes.Nodes).Allocated.Cores);

        await runner.StartedAsync(first.TaskId);
        await runner.ExitedAsync(first.TaskId, V1.TaskState.Failed, 1, 0, 0);

        Assert.Equal(ids[2], (await runner.WaitForStartAsync()).TaskId);
        var ended = await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = first.TaskId });
        Assert.Equal(V1.TaskState.Failed, ended.State);
        Assert.Equal(1, ended.Exit.ExitCode);
    }

    [Fact]
    public async Task A_submit_naming_an_unknown_node_fails_listing_the_known_nodes_and_creates_nothing()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        await using var other = await FakeRunner.ConnectAsync(_host, "node2");
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "true") };
        request.Targets.Add([new V1.TargetSelector { Node = "node1" }, new V1.TargetSelector { Node = "nodeX" }]);

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("targets[1].node: no node named 'nodeX'; known nodes: node1, node2", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _host.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks);
    }

    [Fact]
    public async Task A_submit_with_a_bad_spec_fails_naming_each_field_and_creates_nothing()
    {
        var spec = TestTasks.Spec(-1, 0);
        spec.WorkingDirectory = "relative/dir";

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(new V1.SubmitRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("spec.argv: is empty", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("spec.resources.cores: is negative", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("spec.working_directory:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _host.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks);
    }

    [Fact]
    public async Task A_request_bigger_than_the_whole_node_is_refused_at_submit()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1", cores: 2);
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(4, 0, "true") };
        request.Targets.Add(new V1.TargetSelector { Node = "node1" });

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("node 'node1' has only 2 cores", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Killing_a_queued_task_cancels_it_at_once_and_a_follower_sees_the_end()
    {
        var id = await SubmitAsync(target: null);

        var killed = await _host.Tasks.KillAsync(new V1.KillRequest { TaskId = id });
        var events = await CollectAsync(new V1.WatchOutputRequest { TaskId = id, Follow = true }).WaitAsync(FakeRunner.Patience);
        var again = await _host.Tasks.KillAsync(new V1.KillRequest { TaskId = id });

        Assert.Equal(V1.TaskState.Cancelled, killed.State);
        Assert.NotNull(killed.FinishedAt);
        Assert.Equal(V1.TaskState.Cancelled, events[^1].Task.State);
        Assert.Equal(killed, again);
    }

    [Fact]
    public async Task Killing_a_running_task_asks_its_runner_which_reports_it_killed()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var id = await SubmitAsync("node1");
        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);
        await WaitForStateAsync(id, V1.TaskState.Running);

        var killing = _host.Tasks.KillAsync(new V1.KillRequest { TaskId = id });
        var kill = await runner.WaitForAsync(m => m.Kill is not null);
        Assert.Equal(TimeSpan.FromSeconds(10), kill.Kill.GracePeriod.ToTimeSpan());
        await runner.SendAsync(new V1.RunnerMessage { Ack = new V1.CommandAck { CommandId = kill.CommandId } });
        Assert.Equal(V1.TaskState.Running, (await killing).State);
        await runner.ExitedAsync(id, V1.TaskState.Killed, 143, 0, 0);

        Assert.Equal(V1.TaskState.Killed, (await WaitForStateAsync(id, V1.TaskState.Killed)).State);
    }

    [Fact]
    public async Task Pause_and_resume_take_effect_once_the_runner_acknowledges_them()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var id = await SubmitAsync("node1");
        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);
        await WaitForStateAsync(id, V1.TaskState.Running);

        var pausing = _host.Tasks.PauseAsync(new V1.PauseRequest { TaskId = id });
        var pause = await runner.WaitForAsync(m => m.Pause is not null);
        await runner.SendAsync(new V1.RunnerMessage { Ack = new V1.CommandAck { CommandId = pause.CommandId } });
        Assert.Equal(V1.TaskState.Paused, (await pausing).State);
        var pauseAgain = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.PauseAsync(new V1.PauseRequest { TaskId = id }).ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, pauseAgain.StatusCode);

        var resuming = _host.Tasks.ResumeAsync(new V1.ResumeRequest { TaskId = id });
        var resume = await runner.WaitForAsync(m => m.Resume is not null);
        await runner.SendAsync(new V1.RunnerMessage { Ack = new V1.CommandAck { CommandId = resume.CommandId, Error = "freezer says no" } });
        var refused = await Assert.ThrowsAsync<RpcException>(() => resuming.ResponseAsync);
        Assert.Equal(StatusCode.FailedPrecondition, refused.StatusCode);
        Assert.Contains("freezer says no", refused.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(V1.TaskState.Paused, (await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id })).State);
    }

    [Fact]
    public async Task A_runner_that_reconnects_resumes_output_from_the_acknowledged_offset()
    {
        var id = string.Empty;
        await using (var first = await FakeRunner.ConnectAsync(_host, "node1"))
        {
            id = await SubmitAsync("node1");
            await first.WaitForStartAsync();
            await first.StartedAsync(id);
            await first.OutputAsync(id, V1.OutputStream.Stdout, 0, "hello"u8.ToArray());
            Assert.Equal(5, (await first.WaitForAckAsync(id, 5, 0)).StdoutOffset);
        }

        await using var second = await FakeRunner.ConnectAsync(_host, "node1", held: new V1.HeldTask { TaskId = id, Running = true });
        var resume = Assert.Single(second.Registered.Resume);
        Assert.Equal(new V1.OutputAck { TaskId = id, StdoutOffset = 5, StderrOffset = 0 }, resume);
        Assert.Empty(second.Registered.ForgetTaskIds);
        // A Runner re-sending a little more than needed: only the new tail is stored.
        await second.OutputAsync(id, V1.OutputStream.Stdout, 3, "lo world"u8.ToArray());
        await second.ExitedAsync(id, V1.TaskState.Succeeded, 0, 11, 0);

        var events = await CollectAsync(new V1.WatchOutputRequest { TaskId = id, Follow = true }).WaitAsync(FakeRunner.Patience);
        Assert.Equal("hello world", Encoding.UTF8.GetString(Bytes(events, V1.OutputStream.Stdout)));
        Assert.Equal(V1.TaskState.Succeeded, events[^1].Task.State);
    }

    [Fact]
    public async Task Registration_reconciles_what_the_runner_no_longer_holds()
    {
        var running = string.Empty;
        var assigned = string.Empty;
        await using (var first = await FakeRunner.ConnectAsync(_host, "node1"))
        {
            running = await SubmitAsync("node1");
            await first.WaitForStartAsync();
            await first.StartedAsync(running);
            await WaitForStateAsync(running, V1.TaskState.Running);
            assigned = await SubmitAsync("node1");
            await first.WaitForStartAsync();
        }

        var unknown = "zzzzzzzzzzzz";
        await using var second = await FakeRunner.ConnectAsync(_host, "node1", held: new V1.HeldTask { TaskId = unknown, Running = true });

        Assert.Equal([unknown], second.Registered.ForgetTaskIds);
        Assert.Equal(assigned, (await second.WaitForStartAsync()).TaskId);
        var lost = await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = running });
        Assert.Equal(V1.TaskState.Lost, lost.State);
        Assert.Contains("no longer knows", lost.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_registration_with_a_bad_name_or_no_capacity_is_refused()
    {
        var call = _host.Runners.Connect();
        await call.RequestStream.WriteAsync(new V1.RunnerMessage { Register = new V1.Register { Name = "-bad name" } });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        call.Dispose();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("register.name:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("register.capacity:", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Listing_pages_newest_first_and_filters_by_state()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(await SubmitAsync(target: null));
        }

        await _host.Tasks.KillAsync(new V1.KillRequest { TaskId = ids[0] });
        var firstPage = await _host.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 3 });
        var secondPage = await _host.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 3, PageToken = firstPage.NextPageToken });
        var cancelled = await _host.Tasks.ListAsync(new V1.ListTasksRequest { States = { V1.TaskState.Cancelled } });

        Assert.Equal(Enumerable.Reverse(ids), firstPage.Tasks.Concat(secondPage.Tasks).Select(t => t.Id));
        Assert.Empty(secondPage.NextPageToken);
        Assert.Equal(ids[0], Assert.Single(cancelled.Tasks).Id);
        var missing = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = "000000000000" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task A_restarted_host_keeps_every_task_and_its_output()
    {
        string id;
        await using (var runner = await FakeRunner.ConnectAsync(_host, "node1"))
        {
            id = await SubmitAsync("node1");
            await runner.WaitForStartAsync();
            await runner.StartedAsync(id);
            await runner.OutputAsync(id, V1.OutputStream.Stdout, 0, "kept across restarts\n"u8.ToArray());
            await runner.ExitedAsync(id, V1.TaskState.Succeeded, 0, 21, 0);
            await runner.WaitForAckAsync(id, 21, 0);
            await WaitForStateAsync(id, V1.TaskState.Succeeded);
        }

        await _host.DisposeAsync();
        _host = await TestHost.StartAsync(_directory);

        var task = await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id });
        Assert.Equal(V1.TaskState.Succeeded, task.State);
        Assert.Equal(21, task.StdoutLength);
        var events = await CollectAsync(new V1.WatchOutputRequest { TaskId = id });
        Assert.Equal("kept across restarts\n", Encoding.UTF8.GetString(Bytes(events, V1.OutputStream.Stdout)));
        var node = Assert.Single((await _host.Nodes.ListAsync(new V1.ListNodesRequest())).Nodes);
        Assert.Equal("node1", node.Name);
        Assert.False(node.Connected);
    }

    private async Task<string> SubmitAsync(string? target)
    {
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "echo", "hi") };
        if (target is not null)
        {
            request.Targets.Add(new V1.TargetSelector { Node = target });
        }

        var response = await _host.Tasks.SubmitAsync(request);
        return Assert.Single(response.Tasks).Id;
    }

    private async Task<List<V1.WatchOutputResponse>> CollectAsync(V1.WatchOutputRequest request)
    {
        var events = new List<V1.WatchOutputResponse>();
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        await foreach (var e in _host.Tasks.Watch(request, timeout.Token))
        {
            events.Add(e);
        }

        return events;
    }

    /// <summary>Follows the task's state changes through WatchOutput until it reaches <paramref name="state"/>.</summary>
    private async Task<V1.TaskInfo> WaitForStateAsync(string id, V1.TaskState state)
    {
        using var timeout = new CancellationTokenSource(FakeRunner.Patience);
        await foreach (var e in _host.Tasks.Watch(new V1.WatchOutputRequest { TaskId = id, Follow = true }, timeout.Token))
        {
            if (e.Task?.State == state)
            {
                return e.Task;
            }
        }

        throw new InvalidOperationException($"task {id} ended without reaching {state}");
    }

    private static byte[] Bytes(List<V1.WatchOutputResponse> events, V1.OutputStream stream)
    {
        var chunks = events.Where(e => e.Output?.Stream == stream).Select(e => e.Output).ToList();
        var expectedOffset = 0L;
        foreach (var chunk in chunks)
        {
            // In offset order, no gaps, no repeats.
            Assert.Equal(expectedOffset, chunk.Offset);
            expectedOffset += chunk.Data.Length;
        }

        return [.. chunks.SelectMany(c => c.Data.ToByteArray())];
    }
}
