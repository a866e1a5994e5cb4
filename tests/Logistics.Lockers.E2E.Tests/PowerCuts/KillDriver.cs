using System.Collections.Concurrent;
using System.Net.Http.Json;
using Logistics.Lockers.Host.Web;
using Logistics.Testing.Core;

namespace Logistics.Lockers.E2E.Tests.PowerCuts;

/// <summary>
/// What goes on around a board that keeps losing power: the core deposits parcels and queues remote opens, while
/// people at the locker type the codes on its page, close the doors the deposits and collections opened, and
/// force a spare door. Every code the page accepted is remembered: the core must end up with it exactly once.
/// </summary>
internal sealed class KillDriver(TestNetwork net, Random random)
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(3) };
    private readonly Lock _gate = new();
    private readonly List<Deposit> _waiting = [];

    public List<Deposit> Deposited { get; } = [];

    /// <summary>Parcels whose code the board answered "accepted" (the collection was journalled before the answer).</summary>
    public ConcurrentBag<string> AcceptedAtBoard { get; } = [];

    public ConcurrentBag<string> RemoteOpens { get; } = [];

    /// <summary>The core's side, until stopped: a few parcels waiting in the locker at any time, and remote opens of door 6.</summary>
    public async Task RunCoreAsync(CancellationToken stop)
    {
        var nextRemoteOpen = DateTimeOffset.UtcNow;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await ForgetCollectedAsync();
                if (Waiting().Count < 3)
                {
                    var deposit = await net.DepositedAsync();
                    lock (_gate)
                    {
                        Deposited.Add(deposit);
                        _waiting.Add(deposit);
                    }
                }

                if (DateTimeOffset.UtcNow >= nextRemoteOpen && RemoteOpens.Count < 30)
                {
                    var queued = await net.Core.Operator().PostJsonAsync($"/api/lockers/{net.LockerId}/compartments/6/remote-open", new { reason = "kill test" });
                    RemoteOpens.Add((await queued.JsonAsync()).GetProperty("commandId").GetString()!);
                    nextRemoteOpen = DateTimeOffset.UtcNow.AddMilliseconds(800);
                }
            }
            catch (Exception e) when (e is Xunit.Sdk.XunitException or HttpRequestException or TimeoutException)
            {
                // No free compartment yet (the collections have not reached the core): try again shortly.
            }

            await Task.Delay(100, CancellationToken.None);
        }
    }

    /// <summary>People at the locker, while the board is up (requests to a killed board just fail).</summary>
    public async Task RunPeopleAsync(Uri web, CancellationToken killed)
    {
        while (!killed.IsCancellationRequested)
        {
            try
            {
                var state = (await _http.GetFromJsonAsync<LockerView>(new Uri(web, "state"), TestCore.Json, killed))!;
                foreach (var door in state.Doors.Where(d => d.State == "open"))
                {
                    await PostAsync(web, $"doors/{door.Number}/close", killed);
                }

                if (random.Next(3) == 0)
                {
                    await PostAsync(web, "doors/5/force", killed);
                    await Task.Delay(60, killed);
                    await PostAsync(web, "doors/5/close", killed);
                }

                var closedWithCode = state.Doors.Where(d => d is { ParcelWaiting: true, State: "closed" }).Select(d => d.Number).ToHashSet();
                var parcel = Waiting().Where(p => closedWithCode.Contains(p.Compartment)).GroupBy(p => p.Compartment).Select(g => g.Last()).FirstOrDefault();
                if (parcel is not null)
                {
                    var answer = await (await _http.PostAsJsonAsync(new Uri(web, "code"), new { code = parcel.Code }, killed)).Content.ReadFromJsonAsync<CodeAnswer>(TestCore.Json, killed);
                    Assert.True(answer!.Accepted, $"{parcel.ParcelId}: {answer.Outcome}");
                    AcceptedAtBoard.Add(parcel.ParcelId);
                    Forget(parcel);
                }

                await Task.Delay(random.Next(5, 40), killed);
            }
            catch (Exception e) when (e is HttpRequestException or IOException or System.Net.Sockets.SocketException or OperationCanceledException or System.Text.Json.JsonException)
            {
                // The board was killed under the person's finger (a connection cut as it opens surfaces as a bare
                // SocketException from the handler, seen once in CI).
            }
        }
    }

    private async Task PostAsync(Uri web, string path, CancellationToken cancellationToken) =>
        (await _http.PostAsync(new Uri(web, path), null, cancellationToken)).EnsureSuccessStatusCode();

    private List<Deposit> Waiting()
    {
        lock (_gate)
        {
            return [.. _waiting];
        }
    }

    private void Forget(Deposit parcel)
    {
        lock (_gate)
        {
            _waiting.Remove(parcel);
        }
    }

    /// <summary>A collection the page's answer was lost for (killed mid-request) shows up at the core eventually.</summary>
    private async Task ForgetCollectedAsync()
    {
        foreach (var parcel in Waiting())
        {
            if ((await net.TrackAsync(parcel.TrackingId)).GetProperty("status").GetString() == "Collected")
            {
                Forget(parcel);
            }
        }
    }
}
