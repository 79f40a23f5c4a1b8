using Microsoft.Extensions.Time.Testing;

namespace RiverRun.Systemd.Tests;

/// <summary>The user database against a stand-in getent that counts how often it is asked.</summary>
public sealed class UserDatabaseTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));
    private readonly string _getent;

    public UserDatabaseTests()
    {
        var calls = _temp.Combine("calls");
        _getent = _temp.WriteScript("getent", $$"""
            echo "$1 $3" >> '{{calls}}'
            case "$1 $3" in
              "passwd alice") echo 'alice:x:1234:1235:Alice:/home/alice:/bin/sh' ;;
              "group lab") echo 'lab:x:2000:alice' ;;
              *) exit 2 ;;
            esac
            """);
    }

    public void Dispose() => _temp.Dispose();

    private string[] Calls() => File.Exists(_temp.Combine("calls")) ? File.ReadAllLines(_temp.Combine("calls")) : [];

    [Fact]
    public async Task A_user_found_is_remembered_for_the_given_time_and_then_asked_for_again()
    {
        var users = new UserDatabase(_getent, _time, TimeSpan.FromMinutes(1));

        var first = await users.FindUserAsync("alice");
        _time.Advance(TimeSpan.FromSeconds(59));
        var second = await users.FindUserAsync("alice");
        _time.Advance(TimeSpan.FromSeconds(1));
        await users.FindUserAsync("alice");

        Assert.Equal(1234, first!.Uid);
        Assert.Equal(first, second);
        Assert.Equal(["passwd alice", "passwd alice"], Calls());
    }

    [Fact]
    public async Task A_user_not_found_is_asked_for_every_time_so_one_created_meanwhile_works_at_once()
    {
        var users = new UserDatabase(_getent, _time, TimeSpan.FromMinutes(1));

        Assert.Null(await users.FindUserAsync("bob"));
        Assert.Null(await users.FindUserAsync("bob"));

        Assert.Equal(["passwd bob", "passwd bob"], Calls());
    }

    [Fact]
    public async Task Groups_are_remembered_apart_from_users()
    {
        var users = new UserDatabase(_getent, _time, TimeSpan.FromMinutes(1));

        Assert.Equal(2000, await users.FindGroupIdAsync("lab"));
        Assert.Equal(2000, await users.FindGroupIdAsync("lab"));
        Assert.Null(await users.FindGroupIdAsync("alice"));

        Assert.Equal(["group lab", "group alice"], Calls());
    }

    [Fact]
    public async Task Without_a_time_to_remember_every_lookup_asks_getent()
    {
        var users = new UserDatabase(_getent);

        await users.FindUserAsync("alice");
        await users.FindUserAsync("alice");

        Assert.Equal(["passwd alice", "passwd alice"], Calls());
    }
}
