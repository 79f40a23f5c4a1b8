namespace RiverRun.Systemd;

/// <summary>A user as the node's user database (NSS) knows it; Home and Shell as recorded (may be empty).</summary>
public sealed record UserAccount(string Name, int Uid, int PrimaryGid, string Home, string Shell);
