using System.Security.Cryptography;
using System.Text;

namespace RiverRun.Host.Security;

/// <summary>
/// Makes and hashes token secrets. A secret is 256 random bits, written "rr_" + base64url (46
/// characters); the Host keeps only its SHA-256, so a copy of the database grants nothing. A plain
/// hash (no salt, no stretching) is enough because the secret is random, not a password: there is
/// no dictionary to try.
/// </summary>
public static class TokenSecret
{
    /// <summary>What every secret starts with: makes a leaked one easy to recognise (and to grep for).</summary>
    public const string Prefix = "rr_";

    /// <summary>Random bytes in a secret.</summary>
    public const int RandomBytes = 32;

    /// <summary>A new random secret.</summary>
    public static string Generate()
    {
        Span<byte> bytes = stackalloc byte[RandomBytes];
        RandomNumberGenerator.Fill(bytes);
        return Prefix + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>The SHA-256 of the secret's UTF-8 bytes (32 bytes).</summary>
    public static byte[] Hash(string secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return SHA256.HashData(Encoding.UTF8.GetBytes(secret));
    }

    /// <summary>Whether two hashes are equal, in time that does not depend on where they differ.</summary>
    public static bool HashesEqual(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right) =>
        CryptographicOperations.FixedTimeEquals(left, right);
}
