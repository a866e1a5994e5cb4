namespace Logistics.Lockers.Host;

/// <summary>The program on the board: configuration, hardware, journal, controller, link, keypad.</summary>
internal static class BoardProgram
{
    public static Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine($"usage: Logistics.Lockers.Host [--simulated] --config <file> ({args.Length} arguments given)");
        return Task.FromResult(2);
    }
}
