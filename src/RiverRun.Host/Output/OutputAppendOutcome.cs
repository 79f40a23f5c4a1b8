namespace RiverRun.Host.Output;

/// <summary>What an append did with a chunk.</summary>
public enum OutputAppendOutcome
{
    /// <summary>New bytes were stored (a chunk overlapping stored bytes stores only its new tail).</summary>
    Appended,

    /// <summary>Every byte of the chunk was stored before (a re-send after a reconnect); nothing was written.</summary>
    Duplicate,

    /// <summary>The chunk starts after the stored end; nothing was written, the sender must resume at the stored length.</summary>
    Gap,
}
