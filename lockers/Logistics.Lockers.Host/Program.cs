using Logistics.Lockers.Host;
using Logistics.Lockers.Host.Diagnostics;

return args switch
{
    ["soak", var journal, var pulses] => PowerCutSoak.Run(journal, pulses),
    _ => await BoardProgram.RunAsync(args),
};
