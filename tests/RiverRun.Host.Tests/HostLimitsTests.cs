using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using RiverRun.Core;
using RiverRun.Host.Runners;
using RiverRun.Host.Tasks;
using V1 = RiverRun.Contracts.V1;

namespace RiverRun.Host.Tests;

/// <summary>The bounds the Host puts on every size and duration a call carries, through its real gRPC server.</summary>
public sealed class HostLimitsTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("riverrun-limits-tests-").FullName;
    private TestHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await TestHost.StartAsync(_directory);

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_spec_over_one_mebibyte_is_refused_naming_the_field_and_the_limit_and_creates_nothing()
    {
        var spec = TestTasks.Spec(0, 0, ["echo", .. Enumerable.Repeat(new string('a', 120_000), 9)]);

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(new V1.SubmitRequest { Spec = spec }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"spec.size: argv, env, working_directory and user hold", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains($"{TaskLimits.MaxSpecBytes} bytes (1 MiB)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _host.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks);
    }

    [Fact]
    public async Task More_than_100_targets_are_refused_naming_the_limit()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(0, 0, "true") };
        request.Targets.AddRange(Enumerable.Range(0, TaskSubmission.MaxTargets + 1).Select(_ => new V1.TargetSelector { Node = "node1" }));

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("targets: 101 targets is more than the limit of 100 per submit", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _host.Tasks.ListAsync(new V1.ListTasksRequest())).Tasks);
    }

    [Fact]
    public async Task Many_copies_of_a_large_spec_are_refused_because_the_response_would_not_fit()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(0, 0, ["echo", .. Enumerable.Repeat(new string('a', 100_000), 10)]) };
        request.Targets.AddRange(Enumerable.Range(0, 9).Select(_ => new V1.TargetSelector { Node = "node1" }));

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"exceed the limit of {TaskQueries.MaxPageBytes} bytes per submit", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_error_about_a_huge_field_is_shortened_so_the_client_still_receives_it()
    {
        // Found by the fuzz tests: echoing a 100,000-character node name overflowed the client's
        // 64 KiB header limit, and the caller saw UNAVAILABLE instead of the error.
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(0, 0, "true"), Targets = { new V1.TargetSelector { Node = new string('n', 100_000) } } };

        var error = await Assert.ThrowsAsync<RpcException>(() => _host.Tasks.SubmitAsync(request).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith("invalid submit: targets[0]", error.Status.Detail, StringComparison.Ordinal);
        Assert.InRange(error.Status.Detail.Length, 100, Contracts.RpcErrors.MaxDetailLength);
        Assert.EndsWith("more characters)", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_list_of_many_maximal_tasks_is_split_into_pages_that_fit_and_lose_nothing()
    {
        // The attack of issue 8: tasks of about 1 MiB each made `riverrun list` fail for everyone.
        var ids = new List<string>();
        var spec = TestTasks.Spec(0, 0, ["echo", .. Enumerable.Repeat(new string('a', 116_000), 9)]);
        for (var i = 0; i < 20; i++)
        {
            ids.Add((await _host.Tasks.SubmitAsync(new V1.SubmitRequest { Spec = spec })).Tasks.Single().Id);
        }

        var seen = new List<string>();
        var pages = 0;
        var token = string.Empty;
        do
        {
            var page = await _host.Tasks.ListAsync(new V1.ListTasksRequest { PageSize = 1000, PageToken = token });
            Assert.True(page.CalculateSize() <= TaskQueries.MaxPageBytes, $"page of {page.CalculateSize()} bytes");
            seen.AddRange(page.Tasks.Select(t => t.Id));
            token = page.NextPageToken;
            pages++;
        }
        while (token.Length > 0);

        Assert.Equal(Enumerable.Reverse(ids), seen);
        Assert.True(pages >= 3, $"{pages} pages");
    }

    [Fact]
    public async Task A_grace_period_beyond_an_hour_is_refused_before_anything_reaches_the_runner()
    {
        await using var runner = await FakeRunner.ConnectAsync(_host, "node1");
        var request = new V1.SubmitRequest { Spec = TestTasks.Spec(1, 0, "sleep", "60"), Targets = { new V1.TargetSelector { Node = "node1" } } };
        var id = (await _host.Tasks.SubmitAsync(request)).Tasks.Single().Id;
        await runner.WaitForStartAsync();
        await runner.StartedAsync(id);

        var thousandsOfYears = new Duration { Seconds = 315_576_000_000 };
        var error = await Assert.ThrowsAsync<RpcException>(
            () => _host.Tasks.KillAsync(new V1.KillRequest { TaskId = id, GracePeriod = thousandsOfYears }).ResponseAsync);
        var justOver = await Assert.ThrowsAsync<RpcException>(
            () => _host.Tasks.KillAsync(new V1.KillRequest { TaskId = id, GracePeriod = Duration.FromTimeSpan(TaskControl.MaxGracePeriod + TimeSpan.FromSeconds(1)) }).ResponseAsync);

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Equal(StatusCode.InvalidArgument, justOver.StatusCode);
        Assert.Contains("grace_period: 1h1s is longer than the limit of 1h", justOver.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(V1.TaskState.Running, (await _host.Tasks.GetAsync(new V1.GetTaskRequest { TaskId = id })).State);
    }

    [Fact]
    public async Task A_runner_advertising_a_million_cores_or_an_exbibyte_is_refused_naming_each_limit()
    {
        var call = _host.Runners.Connect();
        await call.RequestStream.WriteAsync(new V1.RunnerMessage
        {
            Register = new V1.Register { Name = "node9", Capacity = new V1.Resources { Cores = 1e6, MemoryBytes = 1L << 60 }, Hostname = new string('h', 300) },
        });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext());
        call.Dispose();

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains($"register.capacity.cores: 1000000 must be a number greater than 0 and at most {RegistrationValidator.MaxCores}", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("register.capacity.memory_bytes:", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("(64 TiB)", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("register.hostname (characters): 300 is more than the limit of 255", error.Status.Detail, StringComparison.Ordinal);
        Assert.Empty((await _host.Nodes.ListAsync(new V1.ListNodesRequest())).Nodes);
    }

    [Fact]
    public void A_caller_gets_at_most_64_watches_at_once_and_a_finished_one_frees_its_place()
    {
        var limiter = new WatchLimiter();
        var caller = WatchLimiter.CallerOf("ipv4:127.0.0.1:51234");
        var leases = Enumerable.Range(0, WatchLimiter.MaxWatchesPerCaller).Select(_ => limiter.Enter(caller)).ToList();

        var error = Assert.Throws<RpcException>(() => limiter.Enter(WatchLimiter.CallerOf("ipv4:127.0.0.1:60000")));
        using var other = limiter.Enter(WatchLimiter.CallerOf("ipv4:10.0.0.7:51234"));
        leases[0].Dispose();
        leases[0].Dispose();
        using var again = limiter.Enter(caller);

        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
        Assert.Contains("64 output watches open, the limit per caller", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("ipv4:127.0.0.1", caller);
        Assert.Equal("ipv6:[::1]", WatchLimiter.CallerOf("ipv6:[::1]:5000"));
        Assert.Equal(WatchLimiter.MaxWatchesPerCaller, limiter.OpenCount(caller));
        leases.Skip(1).ToList().ForEach(lease => lease.Dispose());
    }
}
