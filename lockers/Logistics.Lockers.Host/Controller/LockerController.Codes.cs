using Logistics.LockerLink;
using Logistics.Lockers.Codes;

namespace Logistics.Lockers.Host.Controller;

public sealed partial class LockerController
{
    /// <summary>How long the keypad still refuses codes after too many wrong ones (zero when it accepts them).</summary>
    public TimeSpan KeypadLockedFor => _codes.Failures.RetryAfter(_time.GetUtcNow());

    /// <summary>
    /// A code typed on the keypad. An accepted code is journalled (collection, used-up code, unlock intent in one
    /// commit, for each parcel a shared code opens) before its doors are pulsed, so the collection reaches the core with the time it really happened.
    /// </summary>
    public CodeCheck EnterCode(string typed)
    {
        var check = _codes.Check(typed);
        switch (check)
        {
            case CodeCheck.Accepted a:
                // A shared code opens each of its parcels' doors: one collection, one used-up code and one unlock
                // intent per parcel, all in one commit; the doors are then pulsed together, as far as the door
                // controller allows (doors on one supply rail take their turn, a pulse each, never two at once).
                var collected = a.All.Select(o => new DevicePayload.CodeAccepted(o.ParcelId, o.Compartment.Value, a.CollectedAt)).ToList();
                var intents = _journal.Write(w => collected.Select(c =>
                {
                    w.DeleteCode(c.ParcelId);
                    w.Append(c);
                    return (c.Compartment, Intent: w.BeginUnlock(c.Compartment, new UnlockCause(UnlockKind.Collection, ParcelId: c.ParcelId)));
                }).ToList());
                foreach (var payload in collected)
                {
                    Recorded?.Invoke(payload);
                }

                foreach (var (compartment, intent) in intents)
                {
                    Pulse(compartment, intent);
                }

                break;
            case CodeCheck.Rejected { Reason: not RejectionReason.Throttled } r:
                // Throttled attempts are not journalled: the 20 failures that caused the throttle already were,
                // and a keypad held down must not fill the journal.
                Record(w =>
                {
                    // Only the failures the verifier counted (a wrong or expired code) count again after a restart.
                    if (r.Reason is RejectionReason.WrongCode or RejectionReason.Expired)
                    {
                        w.RecordCodeFailure(_time.GetUtcNow());
                    }

                    return w.Append(new DevicePayload.CodeRejected(r.Reason.ToString(), (long)Math.Ceiling(r.RetryAfter.TotalSeconds)));
                });
                break;
        }

        return check;
    }

    /// <summary>A scanned label (not a pickup code), journalled for the core: the board itself opens nothing for it.</summary>
    public void RecordLabelScan(string text) => Record(w => w.Append(new DevicePayload.LabelScanned(text)));
}
