using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Logistics.LockerLink;

namespace Logistics.Testing.Core;

/// <summary>
/// A locker's board on the real link (a WebSocket to the core on loopback) that does what the core asks: every
/// opening command opens its door, which is then closed again, and every command gets its result. For tests whose
/// subject is the core's workflow (a collection checked online opens the door), not the board's program, which has
/// its own tests and runs in the end-to-end ones.
/// </summary>
public sealed class SimulatedBoard : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Guid _boot = Guid.NewGuid();
    private readonly string _deviceId;
    private readonly ECDsa _key;
    private readonly ECDsa _core;
    private readonly Func<DateTimeOffset> _now;
    private readonly List<CommandBody> _executed = [];
    private long _seq;
    private long _acked;
    private int _executing;
    private Task _loop = Task.CompletedTask;

    private SimulatedBoard(string deviceId, ECDsa key, ECDsa core, Func<DateTimeOffset> now)
    {
        _deviceId = deviceId;
        _key = key;
        _core = core;
        _now = now;
    }

    /// <summary>When false, opening commands are answered but no door opens (a jammed lock): the board refuses them.</summary>
    public bool DoorsWork { get; set; } = true;

    /// <summary>The commands executed so far, in order.</summary>
    public IReadOnlyList<CommandBody> Executed
    {
        get
        {
            lock (_executed)
            {
                return [.. _executed];
            }
        }
    }

    /// <summary>
    /// Waits until the board has finished the command it is carrying out and the core has acknowledged (stored) every event the board has sent so far. This board keeps no
    /// journal and does not send again after a reconnect, as the real board does: a test that stops the core waits
    /// for this first, or an event still on the wire (a door's close) is lost with the process.
    /// </summary>
    public Task AllAckedAsync() =>
        Wait.UntilAsync(() => Volatile.Read(ref _executing) == 0 && Interlocked.Read(ref _acked) >= Interlocked.Read(ref _seq), $"the core to acknowledge the board's events up to {Interlocked.Read(ref _seq)}");

    /// <summary>Registers a fresh key for the locker's board with the operator's key, connects and starts answering.</summary>
    public static async Task<SimulatedBoard> ConnectAsync(TestCore core, string locker)
    {
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        await (await core.Operator().PostJsonAsync($"/api/lockers/{locker}/device-key", new { devicePublicKey = key.ExportSubjectPublicKeyInfoPem() })).OkAsync();
        var corePublic = ECDsa.Create();
        corePublic.ImportFromPem(await core.Operator().GetStringAsync("/api/lockers/core-public-key"));
        var board = new SimulatedBoard(locker, key, corePublic, () => core.Time.GetUtcNow());
        await board.StartAsync(core.BaseAddress);
        return board;
    }

    private async Task StartAsync(Uri server)
    {
        _socket.Options.AddSubProtocol(LinkProtocol.SubProtocol);
        await _socket.ConnectAsync(new Uri($"ws://{server.Authority}{LinkProtocol.Path}"), _stop.Token);
        var challenge = (CoreMessage.Challenge)(await ReceiveAsync(_stop.Token))!;
        var hello = new BoardMessage.Hello(_deviceId, _boot, challenge.Nonce, 0, "");
        var signature = _key.SignData(CanonicalForm.Of(hello), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        await SendAsync(hello with { Signature = Convert.ToBase64String(signature) });
        if (await ReceiveAsync(_stop.Token) is not CoreMessage.Welcome welcome)
        {
            throw new InvalidOperationException("The core did not welcome the simulated board.");
        }

        _seq = welcome.AckedSeq;
        _acked = welcome.AckedSeq;
        _loop = Task.Run(RunAsync);
    }

    private async Task RunAsync()
    {
        try
        {
            while (await ReceiveAsync(_stop.Token) is { } message)
            {
                if (message is CoreMessage.Command { Signed: var signed } && Verified(signed))
                {
                    Interlocked.Exchange(ref _executing, 1);
                    await ExecuteAsync(signed.Command);
                    Interlocked.Exchange(ref _executing, 0);
                }
                else if (message is CoreMessage.Ack ack)
                {
                    Interlocked.Exchange(ref _acked, ack.UpToSeq);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // Disposed, or the core went away: the test decides what that means.
        }
    }

    private async Task ExecuteAsync(DeviceCommand command)
    {
        var opening = command.Body switch
        {
            CommandBody.OpenForDeposit b => (b.Compartment, new UnlockCause(UnlockKind.Deposit, command.CommandId, b.ParcelId)),
            CommandBody.OpenForPickup b => (b.Compartment, new UnlockCause(UnlockKind.Pickup, command.CommandId, b.ParcelId)),
            CommandBody.OpenForCollection b => (b.Compartment, new UnlockCause(UnlockKind.Collection, command.CommandId, b.ParcelId)),
            CommandBody.RemoteOpen b => (b.Compartment, new UnlockCause(UnlockKind.RemoteOpen, command.CommandId)),
            _ => ((int, UnlockCause)?)null,
        };
        if (opening is { } door && !DoorsWork)
        {
            await EmitAsync(new DevicePayload.CommandResult(command.CommandId, CommandStatus.Refused, "the lock did not release"));
            return;
        }

        lock (_executed)
        {
            _executed.Add(command.Body);
        }

        await EmitAsync(new DevicePayload.CommandResult(command.CommandId, CommandStatus.Executed, null));
        if (opening is var (compartment, cause))
        {
            await EmitAsync(new DevicePayload.DoorOpened(compartment, true, cause));
            await EmitAsync(new DevicePayload.DoorClosed(compartment, 3000));
        }
    }

    /// <summary>
    /// Someone opens a door the core did not unlock, then shuts it: the board reports it open without authorisation
    /// (forced, for a locker; its owner's own lock, for a home box) and closed again.
    /// </summary>
    public async Task OpenByHandAsync(int compartment)
    {
        await EmitAsync(new DevicePayload.DoorOpened(compartment, false, null));
        await EmitAsync(new DevicePayload.ForcedOpen(compartment));
        await EmitAsync(new DevicePayload.DoorClosed(compartment, 4000));
    }

    private Task EmitAsync(DevicePayload payload)
    {
        var seq = ++_seq;
        return SendAsync(new BoardMessage.Event(new DeviceEvent(_deviceId, seq, _boot, seq * 1000, _now(), true, payload)));
    }

    private bool Verified(SignedCommand signed) =>
        signed.Command.DeviceId == _deviceId &&
        _core.VerifyData(CanonicalForm.Of(signed.Command), Convert.FromBase64String(signed.Signature), HashAlgorithmName.SHA256, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);

    private Task SendAsync(BoardMessage message) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(LinkJson.Serialize(message)), WebSocketMessageType.Text, true, _stop.Token);

    private async Task<CoreMessage?> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return LinkJson.ReadCoreMessage(Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _socket.Abort();
        _socket.Dispose();
        _stop.Dispose();
        _key.Dispose();
        _core.Dispose();
    }
}
