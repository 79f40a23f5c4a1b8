using CsCheck;

namespace RiverRun.Tests.Shared;

/// <summary>
/// Generators of hostile text for the fuzz tests: anything at all, text made of the characters a
/// parser looks for (digits, units, separators, signs, control characters), and valid examples
/// with a few random edits, which reach deeper into a parser than pure noise.
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Characters parsers of sizes, durations, targets and names react to, plus trouble: NUL, newline, non-ASCII.</summary>
    public const string Interesting = "0123456789.,:-+_=eEkKmMgGtTpPbBiIsShHdDwWunx /\t\n\r\0é€\u202e\ud800";

    /// <summary>Any string, short or long, any characters.</summary>
    public static Gen<string> AnyText { get; } = Gen.String;

    /// <summary>Strings over <see cref="Interesting"/>.</summary>
    public static Gen<string> InterestingText { get; } =
        Gen.Char[Interesting].Array[0, 40].Select(chars => new string(chars));

    /// <summary>A mix: valid examples edited at random, interesting text and noise.</summary>
    public static Gen<string> Text(params string[] validExamples) =>
        Gen.Frequency(
            (3, Mutated(validExamples)),
            (3, InterestingText),
            (1, AnyText),
            (1, Gen.OneOf(validExamples)),
            (1, Gen.Select(Gen.Int[1, 5], Gen.OneOf(validExamples), (n, s) => string.Concat(Enumerable.Repeat(s, n * 1000)))));

    /// <summary>A valid example with one to four random insertions, deletions or replacements.</summary>
    public static Gen<string> Mutated(params string[] examples) =>
        Gen.Select(Gen.OneOf(examples), Gen.Int.Array[1, 8], Gen.Char[Interesting].Array[8], (example, positions, chars) =>
        {
            var text = new System.Text.StringBuilder(example);
            for (var i = 0; i < positions.Length; i++)
            {
                var at = text.Length == 0 ? 0 : (int)((uint)positions[i] % (uint)text.Length);
                switch ((uint)positions[i] % 3)
                {
                    case 0:
                        text.Insert(at, chars[i]);
                        break;
                    case 1 when text.Length > 0:
                        text.Remove(at, 1);
                        break;
                    default:
                        if (text.Length > 0)
                        {
                            text[at] = chars[i];
                        }

                        break;
                }
            }

            return text.ToString();
        });
}
