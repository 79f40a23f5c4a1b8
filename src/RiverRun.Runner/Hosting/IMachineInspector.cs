namespace RiverRun.Runner;

/// <summary>
/// Finds out, once at start, whether this machine can run tasks and what it has. Tests replace it
/// with a fixed machine, so the rest of the Runner runs unchanged without systemd.
/// </summary>
internal interface IMachineInspector
{
    /// <exception cref="InvalidOperationException">The machine cannot run the Runner; the message says why and how to fix it.</exception>
    Task<InspectedMachine> InspectAsync(CancellationToken cancellationToken);
}
