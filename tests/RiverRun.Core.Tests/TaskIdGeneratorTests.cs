namespace RiverRun.Core.Tests;

public class TaskIdGeneratorTests
{
    private static readonly DateTimeOffset SomeMoment = new(2025, 6, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Generated_ids_are_valid_task_ids()
    {
        var generator = new TaskIdGenerator();

        for (var i = 0; i < 100; i++)
        {
            var id = generator.Next();
            Assert.True(TaskId.TryParse(id.Value, out var parsed, out var error), error);
            Assert.Equal(id, parsed);
        }
    }

    [Fact]
    public void Ids_made_in_the_same_second_are_distinct_and_increasing()
    {
        var generator = new TaskIdGenerator(new FixedClock(SomeMoment), RandomNumberGeneratorFill);

        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next()).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(ids, ids.Order());
    }

    [Fact]
    public void Ids_sort_by_the_time_they_were_made()
    {
        var clock = new FixedClock(SomeMoment);
        // All-ones random bytes make the earlier id's random part as large as it gets.
        var generator = new TaskIdGenerator(clock, bytes => bytes.Fill(0xFF));

        var earlier = generator.Next();
        clock.Now = SomeMoment.AddSeconds(1);
        var later = generator.Next();

        Assert.True(earlier < later);
        Assert.NotEqual(earlier.Value[..7], later.Value[..7]);
    }

    [Fact]
    public void A_clock_that_steps_back_does_not_make_ids_go_back()
    {
        var clock = new FixedClock(SomeMoment);
        var generator = new TaskIdGenerator(clock, RandomNumberGeneratorFill);

        var first = generator.Next();
        clock.Now = SomeMoment.AddMinutes(-5);
        var second = generator.Next();

        Assert.True(first < second);
    }

    [Fact]
    public void The_first_seven_characters_encode_the_second_the_id_was_made()
    {
        var generator = new TaskIdGenerator(new FixedClock(DateTimeOffset.UnixEpoch.AddSeconds(33)), bytes => bytes.Clear());

        var id = generator.Next();

        // 33 = 1*32 + 1 in base32.
        Assert.Equal("0000011", id.Value[..7]);
        Assert.Equal("00000", id.Value[7..]);
    }

    [Fact]
    public void Generated_ids_avoid_the_easily_misread_letters_i_l_o_and_u()
    {
        var generator = new TaskIdGenerator();

        var text = string.Concat(Enumerable.Range(0, 200).Select(_ => generator.Next().Value));

        Assert.DoesNotContain('i', text);
        Assert.DoesNotContain('l', text);
        Assert.DoesNotContain('o', text);
        Assert.DoesNotContain('u', text);
    }

    private static void RandomNumberGeneratorFill(Span<byte> bytes) =>
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}
