using System.Diagnostics;
using System.Security.Cryptography;
using Logistics.LockerLink;
using Logistics.Lockers.Doors;
using Logistics.Lockers.Host.Controller;
using Logistics.Lockers.Host.Journal;
using Logistics.Lockers.Host.Link;
using Logistics.Testing;

namespace Logistics.Lockers.Host.Tests.Journal;

/// <summary>
/// The real board program (its <c>soak</c> mode: deposits on a loop) killed with SIGKILL at random points and
/// restarted: no event lost or doubled, sequence gap-free, no unlock pulsed twice, every pulse accounted for.
/// </summary>
public sealed class PowerCutTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Fact]
    public async Task BoardKilledAtRandomPointsLosesNothingDoublesNothingAndNeverRepulses()
    {
        var random = new Random(20261122);
        long printedLast = 0;
        for (var run = 0; run < 6; run++)
        {
            printedLast = Math.Max(printedLast, await RunAndKill(random.Next(1, 25)));
        }

        using var journal = Host.Journal.Journal.Open(_dir.File("journal.db"), "soak-locker", new BoardClock(TimeProvider.System, Guid.NewGuid(), () => false));
        using (var key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        using (var recovery = new LockerController(journal, [new DoorConfig(new CompartmentId(1)), new DoorConfig(new CompartmentId(2))], new NoCoils(), new DoorOptions(), new CommandSignature(key)))
        {
            recovery.Start(_ => false);
        }

        var events = journal.ReadFrom(1, 1_000_000);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Seq));
        Assert.True(journal.LastSeq >= printedLast, $"journal ends at {journal.LastSeq} but the board reported {printedLast} committed");
        Assert.True(printedLast > 0);

        var pulses = File.ReadAllLines(_dir.File("pulses.log"));
        Assert.Equal(pulses.Length, pulses.Distinct().Count());
        var conclusions = events.Select(e => e.Payload switch
        {
            DevicePayload.DoorOpened { Cause.CommandId: { } id } => id,
            DevicePayload.UnlockOutcomeUnknown { Cause.CommandId: { } id } => id,
            _ => null,
        }).OfType<string>().ToList();
        Assert.Equal(conclusions.Count, conclusions.Distinct().Count());
        Assert.All(pulses, id => Assert.Contains(id, conclusions));
        Assert.Empty(journal.UnfinishedIntents());
    }

    public void Dispose() => _dir.Dispose();

    /// <summary>Starts the board, lets it report <paramref name="lines"/> deposits, kills it; returns the last committed seq it printed.</summary>
    private async Task<long> RunAndKill(int lines)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Logistics.Lockers.Host.dll"));
        start.ArgumentList.Add("soak");
        start.ArgumentList.Add(_dir.File("journal.db"));
        start.ArgumentList.Add(_dir.File("pulses.log"));
        using var board = Process.Start(start)!;
        long last = 0;
        for (var i = 0; i < lines; i++)
        {
            var line = await board.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
            if (line is null)
            {
                throw new InvalidOperationException("The board exited: " + await board.StandardError.ReadToEndAsync());
            }

            last = long.Parse(line.Split(' ')[^1], System.Globalization.CultureInfo.InvariantCulture);
        }

        board.Kill(entireProcessTree: true);
        await board.WaitForExitAsync();
        return last;
    }

    private sealed class NoCoils : ICoilOutput
    {
        public void SetCoil(CompartmentId compartment, bool energised) =>
            Assert.False(energised, "recovery must not pulse anything");
    }
}
