namespace RiverRun.Systemd;

/// <summary>A user as the node's user database (NSS) knows it.</summary>
public sealed record UserAccount(string Name, int Uid, int PrimaryGid, string Home);
