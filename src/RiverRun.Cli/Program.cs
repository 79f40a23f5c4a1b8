using System.Runtime.InteropServices;
using RiverRun.Cli;

using var context = CliContext.ForProcess();
// Ctrl-C goes to whatever command registered for it (run detaches); unclaimed, it ends the process as usual.
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
{
    if (context.Interrupts.Interrupt())
    {
        signal.Cancel = true;
    }
});
return await CliApp.RunAsync(args, context).ConfigureAwait(false);
