using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text.Json;
using Logistics.Api.Tests.Support;
using Logistics.LockerLink;
using Logistics.Testing.Core;

namespace Logistics.Api.Tests.Lockers;

public sealed class GatewayTests : ApiTest
{
    private readonly ECDsa _deviceKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private async Task<TestBoard> BoardAsync()
    {
        await (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/device-key", new { devicePublicKey = TestBoard.PublicKeyPem(_deviceKey) })).OkAsync();
        var pem = await Server.Operator().GetStringAsync("/api/lockers/core-public-key");
        var core = ECDsa.Create();
        core.ImportFromPem(pem);
        var board = new TestBoard(Net.LockerId, _deviceKey, core);
        await board.ConnectAsync(Server.BaseAddress);
        return board;
    }

    [Fact]
    public async Task ABoardWithoutTheRegisteredKeyIsRefused()
    {
        await (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/device-key", new { devicePublicKey = TestBoard.PublicKeyPem(_deviceKey) })).OkAsync();
        using var impostorKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await using var impostor = new TestBoard(Net.LockerId, impostorKey, impostorKey);
        await using var replayer = new TestBoard(Net.LockerId, _deviceKey, _deviceKey);

        await impostor.ConnectAsync(Server.BaseAddress);
        await replayer.ConnectAsync(Server.BaseAddress, tamperNonce: _ => Convert.ToBase64String(new byte[32]));

        Assert.Equal(-1, impostor.Welcomed);
        Assert.Equal((WebSocketCloseStatus)LinkProtocol.PolicyViolation, impostor.CloseStatus);
        Assert.Equal(-1, replayer.Welcomed);
    }

    [Fact]
    public async Task ADepositOpensTheDoorAndProvisionsTheCodeAndACollectionAtTheBoardReachesTheParcelsHistory()
    {
        await using var board = await BoardAsync();
        Assert.Equal(0, board.Welcomed);
        var (parcel, tracking) = await Net.RegisterForLockerAsync();
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        var deposit = await TestCore.ReadAsync<JsonElement>(await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/deposit", null));
        var compartment = deposit.GetProperty("compartment").GetInt32();
        await Server.SettleAsync();

        await board.WaitForAsync(m => m is CoreMessage.Command { Signed.Command.Body: CommandBody.ProvisionCodes });
        var open = Assert.Single(board.Commands, c => c.Command.Body is CommandBody.OpenForDeposit);
        Assert.Equal(new CommandBody.OpenForDeposit(compartment, parcel), open.Command.Body);
        var provision = (CommandBody.ProvisionCodes)board.Commands.Single(c => c.Command.Body is CommandBody.ProvisionCodes).Command.Body;
        await Server.SettleAsync();
        var code = Server.Sms.CodeFor(tracking, TestNetwork.Phone);
        var key = ((CommandBody.SetCodeKey)board.Commands.Last(c => c.Command.Body is CommandBody.SetCodeKey).Command.Body).Key;
        Assert.Equal(Logistics.LockerLink.PickupCodeHash.Compute(key, code), Assert.Single(provision.Codes).CodeHash);

        // The customer types the code at the keypad while the core is reachable; the board reports it.
        var collectedAt = Server.Clock.GetUtcNow().AddMinutes(-3);
        await board.SendEventAsync(1, new DevicePayload.DoorOpened(compartment, true, null), collectedAt);
        await board.SendEventAsync(2, new DevicePayload.CodeAccepted(parcel, compartment, collectedAt), collectedAt);
        await board.SendEventAsync(3, new DevicePayload.DoorClosed(compartment, 4000), collectedAt.AddSeconds(4));
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 3 });
        await Server.SettleAsync();

        var view = await TestCore.ReadAsync<JsonElement>(await Net.Customer.GetAsync($"/api/track/{tracking}"));
        Assert.Equal("Collected", view.GetProperty("status").GetString());
        var collected = view.GetProperty("steps").EnumerateArray().Single(e => e.GetProperty("kind").GetString() == "collected");
        Assert.Equal(collectedAt, collected.GetProperty("at").GetDateTimeOffset(), TimeSpan.FromMilliseconds(1));
        var locker = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"));
        Assert.True(locker.GetProperty("locker").GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task TheShopDroppingAParcelAndTheCourierTakingItOutHaveTheDoorOpenedByTheBoard()
    {
        await using var board = await BoardAsync();
        var (parcel, _) = await Net.RegisterForLockerAsync(Net.FarLockerId);
        var dropped = await TestCore.ReadAsync<JsonElement>(await Net.Shop.PostJsonAsync($"/api/parcels/{parcel}/drop", new { lockerId = Net.LockerId }));
        await Server.SettleAsync();
        await board.WaitForAsync(m => m is CoreMessage.Command { Signed.Command.Body: CommandBody.OpenForDeposit });
        Assert.Equal(new CommandBody.OpenForDeposit(dropped.GetProperty("compartment").GetInt32(), parcel), Assert.Single(board.Commands, c => c.Command.Body is CommandBody.OpenForDeposit).Command.Body);

        await Net.AssignAsync(parcel);
        await (await Net.Courier.PostJsonAsync($"/api/parcels/{parcel}/pickup", null)).OkAsync();
        await Server.SettleAsync();

        await board.WaitForAsync(m => m is CoreMessage.Command { Signed.Command.Body: CommandBody.OpenForPickup });
        var open = Assert.Single(board.Commands, c => c.Command.Body is CommandBody.OpenForPickup);
        Assert.Equal(new CommandBody.OpenForPickup(dropped.GetProperty("compartment").GetInt32(), parcel), open.Command.Body);
        Assert.True(board.Verify(open));
    }

    [Fact]
    public async Task EventsResentAfterACutLinkAreAppliedExactlyOnce()
    {
        var board = await BoardAsync();
        var at = Server.Clock.GetUtcNow();
        await board.SendEventAsync(1, new DevicePayload.DoorOpened(1, false, null), at);
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });
        await board.SendEventAsync(2, new DevicePayload.ForcedOpen(1), at);
        board.Cut();
        await board.DisposeAsync();

        // The board does not know whether event 2 arrived: it reconnects and resends everything after the welcome.
        await using var again = await BoardAsync();
        for (var seq = again.Welcomed + 1; seq <= 3; seq++)
        {
            DevicePayload payload = seq switch { 1 => new DevicePayload.DoorOpened(1, false, null), 2 => new DevicePayload.ForcedOpen(1), _ => new DevicePayload.DoorClosed(1, 2000) };
            await again.SendEventAsync(seq, payload, at);
        }

        await again.SendEventAsync(2, new DevicePayload.ForcedOpen(1), at);
        await again.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 3 });
        await Server.SettleAsync();

        var locker = await TestCore.ReadAsync<JsonElement>(await Server.Operator().GetAsync($"/api/lockers/{Net.LockerId}"));
        var alarm = Assert.Single(locker.GetProperty("alarms").EnumerateArray());
        Assert.True(locker.GetProperty("locker").GetProperty("online").GetBoolean());
        Assert.Equal("ForcedOpen", alarm.GetProperty("kind").GetString());
        Assert.False(locker.GetProperty("compartments").EnumerateArray().First().GetProperty("doorOpen").GetBoolean());
        var stored = await Server.QueryAsync("select count(*) from locker_device_events where locker_id = $1", r => r.GetInt64(0), Net.LockerId);
        Assert.Equal(3, stored.Single());
    }

    [Fact]
    public async Task CommandsQueuedWhileABoardIsOfflineAreSentWhenItConnectsAndTheirResultsRecorded()
    {
        await (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/device-key", new { devicePublicKey = TestBoard.PublicKeyPem(_deviceKey) })).OkAsync();
        var queued = await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/2/remote-open", new { reason = "customer locked out, verified by phone" });
        Assert.Equal(HttpStatusCode.Accepted, queued.StatusCode);
        var commandId = (await queued.JsonAsync()).GetProperty("commandId").GetString();
        Assert.Equal(HttpStatusCode.UnprocessableEntity, (await Server.Operator().PostJsonAsync($"/api/lockers/{Net.LockerId}/compartments/2/remote-open", new { reason = " " })).StatusCode);

        await using var board = await BoardAsync();
        var open = await board.WaitForAsync(m => m is CoreMessage.Command { Signed.Command.Body: CommandBody.RemoteOpen });
        await board.SendEventAsync(1, new DevicePayload.CommandResult(commandId!, CommandStatus.Executed, null), Server.Clock.GetUtcNow());
        await board.WaitForAsync(m => m is CoreMessage.Ack { UpToSeq: 1 });

        var remote = (CommandBody.RemoteOpen)((CoreMessage.Command)open).Signed.Command.Body;
        Assert.Equal("customer locked out, verified by phone", remote.Reason);
        Assert.Equal("operator", remote.OperatorId);
        var status = await Server.QueryAsync("select status from locker_commands where command_id = $1", r => r.GetString(0), commandId);
        Assert.Equal("Executed", status.Single());
    }
}
