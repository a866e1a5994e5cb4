using Logistics.LockerLink;
using Logistics.Lockers.Codes;
using Logistics.Lockers.Doors;

namespace Logistics.Lockers.Host.Controller;

public sealed partial class LockerController
{
    /// <summary>
    /// A command from the core: verified (signature, device, expiry, sequence), executed at most once, its result
    /// journalled with it and sent as an event; a repeat gets the stored result again, never a second execution.
    /// </summary>
    public DevicePayload.CommandResult Handle(SignedCommand signed)
    {
        var command = signed.Command;
        lock (_gate)
        {
            if (command.DeviceId != _journal.DeviceId || !_signature.IsValid(signed))
            {
                return Report(new DevicePayload.CommandResult(command.CommandId, CommandStatus.BadSignature, "signature or device does not match"));
            }

            if (_journal.FindCommand(command.CommandId) is { } done)
            {
                return Report(done.Result);
            }

            if (command.Seq <= _journal.LastCommandSeq)
            {
                return Report(new DevicePayload.CommandResult(command.CommandId, CommandStatus.Stale, $"seq {command.Seq} is not above {_journal.LastCommandSeq}"));
            }

            var now = _time.GetUtcNow();
            var after = () => { };
            // The doors are asked before the journal is locked: a door fact takes the door lock then the journal's,
            // so asking the doors inside a journal transaction could deadlock. The door controller refuses an unlock
            // of a door that moved in between anyway.
            var refusal = command.Body switch
            {
                CommandBody.OpenForDeposit b => Refusal(b.Compartment),
                CommandBody.OpenForPickup b => Refusal(b.Compartment),
                CommandBody.OpenForCollection b => Refusal(b.Compartment),
                CommandBody.RemoteOpen b => Refusal(b.Compartment),
                _ => null,
            };
            var result = _journal.Write(w =>
            {
                var result = command.ExpiresAt <= now
                    ? Result(CommandStatus.Expired, $"expired at {command.ExpiresAt:O}")
                    : Execute(w, command, now, refusal, out after);
                w.RecordCommand(command, result);
                w.PruneCommands(now - TimeSpan.FromDays(30));
                w.Append(result);
                return result;
            });
            after();
            Recorded?.Invoke(result);
            return result;
        }

        DevicePayload.CommandResult Result(CommandStatus status, string? detail = null) => new(command.CommandId, status, detail);
    }

    private DevicePayload.CommandResult Execute(Journal.JournalWriter w, DeviceCommand command, DateTimeOffset now, string? refusal, out Action after)
    {
        after = () => { };
        DevicePayload.CommandResult Done(string? detail = null) => new(command.CommandId, CommandStatus.Executed, detail);
        DevicePayload.CommandResult Refused(string detail) => new(command.CommandId, CommandStatus.Refused, detail);

        switch (command.Body)
        {
            case CommandBody.OpenForDeposit b:
                if (_outOfService.Contains(b.Compartment))
                {
                    return Refused("compartment out of service");
                }

                if (refusal is { } why)
                {
                    return Refused(why);
                }

                var deposit = w.BeginUnlock(b.Compartment, new UnlockCause(UnlockKind.Deposit, command.CommandId, b.ParcelId));
                after = () => Pulse(b.Compartment, deposit);
                return Done();

            case CommandBody.OpenForPickup b:
                // Out of service or not, the parcel inside has to come out.
                if (refusal is { } busy)
                {
                    return Refused(busy);
                }

                var pickup = w.BeginUnlock(b.Compartment, new UnlockCause(UnlockKind.Pickup, command.CommandId, b.ParcelId));
                after = () => Pulse(b.Compartment, pickup);
                return Done();

            case CommandBody.OpenForCollection b:
                // The core checked the code online: the door opens for the recipient and the code is used up here too.
                if (refusal is { } occupied)
                {
                    return Refused(occupied);
                }

                w.DeleteCode(b.ParcelId);
                var collection = w.BeginUnlock(b.Compartment, new UnlockCause(UnlockKind.Collection, command.CommandId, b.ParcelId));
                after = () =>
                {
                    _codes.Revoke(b.ParcelId);
                    Pulse(b.Compartment, collection);
                };
                return Done();

            case CommandBody.RemoteOpen b:
                if (refusal is { } notNow)
                {
                    return Refused(notNow);
                }

                if (!_remoteOpens.TryRecord(now))
                {
                    return Refused($"more than {_remoteOpens.Snapshot().Count} remote opens lately; retry in {_remoteOpens.RetryAfter(now).TotalMinutes:F0} min");
                }

                w.RecordRemoteOpen(now);
                var remote = w.BeginUnlock(b.Compartment, new UnlockCause(UnlockKind.RemoteOpen, command.CommandId));
                after = () => Pulse(b.Compartment, remote);
                return Done();

            case CommandBody.ProvisionCodes b:
                foreach (var c in b.Codes)
                {
                    w.PutCode(c.ParcelId, c.Compartment, c.CodeHash, c.ExpiresAt);
                }

                after = () =>
                {
                    foreach (var c in b.Codes)
                    {
                        _codes.Provision(new ProvisionedCode(c.ParcelId, new CompartmentId(c.Compartment), c.CodeHash, c.ExpiresAt));
                    }
                };
                return Done($"{b.Codes.Count} codes");

            case CommandBody.RevokeCode b:
                w.DeleteCode(b.ParcelId);
                after = () => _codes.Revoke(b.ParcelId);
                return Done();

            case CommandBody.SetOutOfService b:
                w.PutSetting(OutOfServicePrefix + b.Compartment, [b.OutOfService ? (byte)1 : (byte)0]);
                after = () =>
                {
                    if (b.OutOfService)
                    {
                        _outOfService.Add(b.Compartment);
                    }
                    else
                    {
                        _outOfService.Remove(b.Compartment);
                    }
                };
                return Done();

            case CommandBody.SetCodeKey b:
                if (b.Key.Length < 16)
                {
                    return Refused("code key shorter than 16 bytes");
                }

                w.PutSetting(CodeKeySetting, b.Key);
                after = () => _codes.SetKey(b.Key);
                return Done();

            case CommandBody.InstallRelease b:
                if (Releases is not { } releases)
                {
                    return Refused("fleet updates are not configured on this board");
                }

                if (releases.CannotInstall(b.Version) is { } cannot)
                {
                    return Refused(cannot);
                }

                after = () => releases.Begin(b.Version);
                return Done("fetching the release");

            default:
                return Refused($"unsupported command {command.Body.GetType().Name}");
        }
    }

    /// <summary>Why a door cannot be unlocked now, or null when it can.</summary>
    private string? Refusal(int compartment)
    {
        var id = new CompartmentId(compartment);
        if (!_doors.Compartments.Contains(id))
        {
            return $"no compartment {compartment}";
        }

        var phase = _doors.Status(id).Phase;
        return phase == DoorPhase.Closed ? null : $"door is {phase}";
    }

    private DevicePayload.CommandResult Report(DevicePayload.CommandResult result)
    {
        _journal.Write(w => w.Append(result));
        Recorded?.Invoke(result);
        return result;
    }
}
