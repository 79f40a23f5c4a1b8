namespace RiverRun.Host.Output;

/// <summary>The outcome of an append and the stream's stored length after it (where the sender resumes).</summary>
/// <param name="Outcome">What happened to the chunk.</param>
/// <param name="StoredLength">Bytes of the stream stored now.</param>
public readonly record struct OutputAppendResult(OutputAppendOutcome Outcome, long StoredLength);
