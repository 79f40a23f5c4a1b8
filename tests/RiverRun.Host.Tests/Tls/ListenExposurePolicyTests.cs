using System.Net;
using RiverRun.Host.Tls;

namespace RiverRun.Host.Tests.Tls;

/// <summary>Where the Host may listen, with what, and what it says.</summary>
public sealed class ListenExposurePolicyTests
{
    [Theory]
    [InlineData("127.0.0.1:8700")]
    [InlineData("127.0.0.2:8700")]
    [InlineData("[::1]:8700")]
    [InlineData("[::ffff:127.0.0.1]:8700")]
    public void Loopback_is_allowed_without_TLS_or_tokens_and_without_a_word(string listen)
    {
        var decision = ListenExposurePolicy.Decide(IPEndPoint.Parse(listen), tlsConfigured: false, tokensExist: false, insecure: false);

        Assert.True(decision.Allowed);
        Assert.Null(decision.Warning);
    }

    [Theory]
    [InlineData("0.0.0.0:8700")]
    [InlineData("[::]:8700")]
    [InlineData("10.0.0.1:8700")]
    [InlineData("[fd00::1]:8700")]
    [InlineData("[::ffff:10.0.0.1]:8700")]
    public void Beyond_loopback_TLS_and_tokens_together_are_allowed_without_a_word(string listen)
    {
        var decision = ListenExposurePolicy.Decide(IPEndPoint.Parse(listen), tlsConfigured: true, tokensExist: true, insecure: false);

        Assert.True(decision.Allowed);
        Assert.Null(decision.Warning);
    }

    [Theory]
    [InlineData(false, false, "TLS is not configured (calls, tokens and task output cross the network in clear), and no token exists (every caller is trusted as admin: anyone who reaches it can run commands on every node as root)")]
    [InlineData(true, false, "no token exists (every caller is trusted as admin: anyone who reaches it can run commands on every node as root)")]
    [InlineData(false, true, "TLS is not configured (calls, tokens and task output cross the network in clear)")]
    public void Beyond_loopback_without_both_it_is_refused_naming_what_is_missing_and_how_to_set_it_up(bool tls, bool tokens, string missing)
    {
        var decision = ListenExposurePolicy.Decide(IPEndPoint.Parse("0.0.0.0:8700"), tls, tokens, insecure: false);

        Assert.False(decision.Allowed);
        Assert.Equal(
            $"refusing to listen on 0.0.0.0:8700, beyond loopback: {missing}. Set them up: `riverrun init tls --out /etc/riverrun/tls --name HOSTNAME --ip ADDRESS`, then tls_cert and tls_key in host.toml (or --tls-cert/--tls-key); `riverrun init token` on this machine for the first admin token, then `riverrun token create` for users and Runners. Or listen on loopback only (--listen 127.0.0.1:8700), or, on a network you trust completely, start with --insecure",
            decision.Refusal);
        Assert.Null(decision.Warning);
    }

    [Fact]
    public void Insecure_allows_it_and_warns_naming_what_is_missing()
    {
        var decision = ListenExposurePolicy.Decide(IPEndPoint.Parse("[::]:8700"), tlsConfigured: true, tokensExist: false, insecure: true);

        Assert.True(decision.Allowed);
        Assert.StartsWith("INSECURE: listening on [::]:8700, beyond loopback, although no token exists (every caller is trusted as admin", decision.Warning, StringComparison.Ordinal);
        Assert.Contains("Started with --insecure (insecure = true); set up TLS and tokens and remove it: `riverrun init tls", decision.Warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:8700", false, false, "--insecure is set, but 127.0.0.1:8700 is loopback, where it changes nothing; remove it")]
    [InlineData("0.0.0.0:8700", true, true, "--insecure is set, but TLS and tokens are both configured, so it changes nothing; remove it")]
    public void Insecure_where_it_changes_nothing_is_still_warned_about(string listen, bool tls, bool tokens, string warning)
    {
        var decision = ListenExposurePolicy.Decide(IPEndPoint.Parse(listen), tls, tokens, insecure: true);

        Assert.True(decision.Allowed);
        Assert.Equal(warning, decision.Warning);
    }
}
