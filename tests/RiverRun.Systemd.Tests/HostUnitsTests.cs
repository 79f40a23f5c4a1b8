using System.Net;
using RiverRun.Systemd.Units;
using static RiverRun.Systemd.Tests.UnitFileTestHelpers;

namespace RiverRun.Systemd.Tests;

public class HostUnitsTests
{
    [Fact]
    public void The_host_service_is_exactly_these_directives_in_this_order()
    {
        string[] expected =
        [
            "[Unit]",
            "Description=RiverRun Host",
            "Requires=riverrun-host.socket",
            "After=riverrun-host.socket network.target",
            "StartLimitIntervalSec=0",
            "[Service]",
            "Type=notify",
            "NotifyAccess=main",
            "WatchdogSec=30s",
            "TimeoutAbortSec=5s",
            "Restart=always",
            "RestartSec=2",
            "RestartPreventExitStatus=2",
            "EnvironmentFile=-/etc/riverrun/riverrun.env",
            "ExecStart=/usr/local/bin/riverrun host --config /etc/riverrun/host.toml",
            "DynamicUser=yes",
            "StateDirectory=riverrun",
            "StateDirectoryMode=0700",
            "UMask=0077",
            "ProtectSystem=strict",
            "ProtectHome=yes",
            "PrivateTmp=yes",
            "PrivateDevices=yes",
            "DevicePolicy=closed",
            "PrivateUsers=yes",
            "NoNewPrivileges=yes",
            "CapabilityBoundingSet=",
            "AmbientCapabilities=",
            "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
            "RestrictNamespaces=yes",
            "RestrictRealtime=yes",
            "RestrictSUIDSGID=yes",
            "LockPersonality=yes",
            "ProtectClock=yes",
            "ProtectHostname=yes",
            "ProtectKernelTunables=yes",
            "ProtectKernelModules=yes",
            "ProtectKernelLogs=yes",
            "ProtectControlGroups=yes",
            "ProtectProc=invisible",
            "ProcSubset=pid",
            "RemoveIPC=yes",
            "KeyringMode=private",
            "SystemCallArchitectures=native",
            "SystemCallFilter=@system-service",
            "SystemCallFilter=~@privileged",
            "SystemCallErrorNumber=EPERM",
            "[Install]",
            "WantedBy=multi-user.target",
            "Also=riverrun-host.socket",
        ];

        Assert.Equal(expected, Directives(HostUnits.Service(Options())));
    }

    [Fact]
    public void The_host_service_never_denies_writable_executable_memory_because_the_jit_needs_it_and_says_so()
    {
        var unit = HostUnits.Service(Options());

        Assert.DoesNotContain(Directives(unit), line => line.StartsWith("MemoryDenyWriteExecute=", StringComparison.Ordinal));
        Assert.Contains("# Not set: MemoryDenyWriteExecute=yes. .NET's JIT compiler", unit.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_host_service_says_why_it_has_its_own_user_and_where_it_may_write()
    {
        var unit = HostUnits.Service(Options());

        Assert.Contains("no root", CommentAbove(unit, "DynamicUser=yes"), StringComparison.Ordinal);
        Assert.Contains("/var/lib/riverrun", CommentAbove(unit, "StateDirectory=riverrun"), StringComparison.Ordinal);
        Assert.Contains("AF_UNIX for the journal and sd_notify", CommentAbove(unit, "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX"), StringComparison.Ordinal);
    }

    [Fact]
    public void With_TLS_files_the_host_service_hands_them_to_its_user_as_credentials_and_points_the_Host_there()
    {
        var unit = HostUnits.Service(Options() with { HostTlsCertificate = "/etc/riverrun/tls/host.crt", HostTlsKey = "/etc/riverrun/100%/host.key" });

        var directives = Directives(unit);
        var umask = Array.IndexOf(directives, "UMask=0077");
        Assert.Equal(
            [
                "LoadCredential=host.crt:/etc/riverrun/tls/host.crt",
                "LoadCredential=host.key:/etc/riverrun/100%%/host.key",
                "Environment=RIVERRUN_TLS_CERT=%d/host.crt RIVERRUN_TLS_KEY=%d/host.key",
            ],
            directives[(umask + 1)..(umask + 4)]);
        Assert.Contains("The key stays root's, mode 0600", CommentAbove(unit, "LoadCredential=host.crt:/etc/riverrun/tls/host.crt"), StringComparison.Ordinal);
    }

    [Fact]
    public void Without_TLS_files_the_host_service_loads_no_credentials() =>
        Assert.DoesNotContain(Directives(HostUnits.Service(Options())), line => line.StartsWith("LoadCredential=", StringComparison.Ordinal) || line.StartsWith("Environment=", StringComparison.Ordinal));

    [Fact]
    public void Relative_TLS_paths_are_refused_before_any_unit_is_written() =>
        Assert.Contains(
            "tls_key (the Host's configuration): 'tls/host.key' is not an absolute path; systemd runs services from /, so give the full path, e.g. /etc/riverrun/host.toml",
            (Options() with { HostTlsCertificate = "/etc/riverrun/tls/host.crt", HostTlsKey = "tls/host.key" }).Validate());

    [Fact]
    public void The_host_service_runs_the_given_executable_with_the_given_configuration()
    {
        var unit = HostUnits.Service(Options() with { Executable = "/opt/riverrun/riverrun", HostConfigPath = "/srv/rr/host.toml" });

        Assert.Contains("ExecStart=/opt/riverrun/riverrun host --config /srv/rr/host.toml", Directives(unit));
    }

    [Fact]
    public void The_socket_listens_on_the_host_listen_address_and_activates_the_host_service()
    {
        string[] expected =
        [
            "[Unit]",
            "Description=RiverRun Host socket",
            "[Socket]",
            "ListenStream=127.0.0.1:8700",
            "FreeBind=yes",
            "Service=riverrun-host.service",
            "[Install]",
            "WantedBy=sockets.target",
        ];

        var unit = HostUnits.Socket(Options());

        Assert.Equal("riverrun-host.socket", unit.FileName);
        Assert.Equal(expected, Directives(unit));
    }

    [Theory]
    [InlineData("0.0.0.0:8700", "ListenStream=0.0.0.0:8700")]
    [InlineData("[::1]:9000", "ListenStream=[::1]:9000")]
    [InlineData("[::]:8700", "ListenStream=[::]:8700")]
    [InlineData("10.1.2.3:443", "ListenStream=10.1.2.3:443")]
    public void The_socket_writes_ipv4_plain_and_ipv6_in_brackets(string listen, string expected)
    {
        var unit = HostUnits.Socket(Options() with { HostListen = IPEndPoint.Parse(listen) });

        Assert.Contains(expected, Directives(unit));
    }

    [Fact]
    public void On_failure_adds_the_unit_to_the_unit_section_of_the_host_service()
    {
        var unit = HostUnits.Service(Options() with { OnFailure = "notify-admin@%n.service" });

        var directives = Directives(unit);
        Assert.Equal("OnFailure=notify-admin@%n.service", directives[Array.IndexOf(directives, "[Service]") - 1]);
    }

    [Fact]
    public void Every_generated_file_ends_with_a_newline_and_holds_no_carriage_return()
    {
        foreach (var unit in ServiceUnits.Generate(ServiceRoles.All, Options()))
        {
            Assert.EndsWith("\n", unit.Text, StringComparison.Ordinal);
            Assert.DoesNotContain('\r', unit.Text);
            Assert.StartsWith($"# {unit.FileName}: ", unit.Text, StringComparison.Ordinal);
        }
    }
}
