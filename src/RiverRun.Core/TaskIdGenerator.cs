using System.Security.Cryptography;

namespace RiverRun.Core;

/// <summary>
/// Makes new <see cref="TaskId"/>s: 7 characters of time (seconds since the Unix epoch) followed
/// by 5 random characters, all in lowercase Crockford base32.
/// </summary>
/// <remarks>
/// The time prefix makes ids sort by creation, which keeps listings and the store's index in
/// submission order. Within one second the random part is incremented rather than redrawn (as
/// ULIDs do), so one generator never hands out the same id twice and its ids stay strictly
/// increasing even for a batch of thousands of tasks submitted at once. Seven base32 characters
/// of seconds last until the year 3058.
/// </remarks>
public sealed class TaskIdGenerator
{
    // Crockford's alphabet in lowercase: no i, l, o, u (easy to misread), and in ASCII order, so
    // the text sorts exactly like the number it encodes.
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";
    private const int TimeCharacters = 7;
    private const int RandomCharacters = TaskId.Length - TimeCharacters;
    private const long MaxRandom = (1L << (5 * RandomCharacters)) - 1;
    private const long MaxSeconds = (1L << (5 * TimeCharacters)) - 1;

    private readonly TimeProvider _clock;
    private readonly Action<Span<byte>> _fillRandom;
    private readonly Lock _lock = new();
    private long _lastSeconds = -1;
    private long _lastRandom;

    /// <summary>A generator on the system clock and the system's cryptographic random source.</summary>
    public TaskIdGenerator()
        : this(TimeProvider.System, RandomNumberGenerator.Fill)
    {
    }

    /// <summary>A generator on the given clock and random source (tests pass fixed ones).</summary>
    public TaskIdGenerator(TimeProvider clock, Action<Span<byte>> fillRandom)
    {
        ArgumentNullException.ThrowIfNull(clock);
        ArgumentNullException.ThrowIfNull(fillRandom);
        _clock = clock;
        _fillRandom = fillRandom;
    }

    /// <summary>A new id, greater than every id this generator made before.</summary>
    public TaskId Next()
    {
        var now = Math.Clamp(_clock.GetUtcNow().ToUnixTimeSeconds(), 0, MaxSeconds);
        long seconds;
        long random;
        lock (_lock)
        {
            // A clock that steps back (NTP) must not make ids go back or repeat: stay on the last second.
            if (now > _lastSeconds)
            {
                seconds = now;
                random = DrawRandom();
            }
            else if (_lastRandom < MaxRandom)
            {
                seconds = _lastSeconds;
                random = _lastRandom + 1;
            }
            else
            {
                // 2^25 ids in one second: borrow the next second rather than repeat an id.
                seconds = _lastSeconds + 1;
                random = DrawRandom();
            }

            _lastSeconds = seconds;
            _lastRandom = random;
        }

        Span<char> text = stackalloc char[TaskId.Length];
        Encode(seconds, text[..TimeCharacters]);
        Encode(random, text[TimeCharacters..]);
        return TaskId.FromTrustedText(new string(text));
    }

    private long DrawRandom()
    {
        Span<byte> bytes = stackalloc byte[8];
        _fillRandom(bytes);
        // Keep the top bit of the random part clear so a second has at least 2^24 increments of
        // room before it has to borrow the next one.
        return (long)(BitConverter.ToUInt64(bytes) & (ulong)(MaxRandom >> 1));
    }

    private static void Encode(long value, Span<char> destination)
    {
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(value & 31)];
            value >>= 5;
        }
    }
}
