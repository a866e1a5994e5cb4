using Logistics.Lockers.Host.Diagnostics;

namespace Logistics.Lockers.Host;

/// <summary>
/// The board program's entry point. A named class rather than top-level statements: the API hosts the demo's boards
/// in-process, and two global <c>Program</c> types would clash there (its OpenAPI comment cache keys types by name).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args) => args switch
    {
        ["soak", var journal, var pulses] => PowerCutSoak.Run(journal, pulses),
        ["self-test"] => await SelfTest.RunAsync(TimeSpan.FromSeconds(60)),
        _ => await BoardProgram.RunAsync(args),
    };
}
