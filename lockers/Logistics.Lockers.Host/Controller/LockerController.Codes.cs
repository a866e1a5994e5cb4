using Logistics.LockerLink;
using Logistics.Lockers.Codes;

namespace Logistics.Lockers.Host.Controller;

public sealed partial class LockerController
{
    /// <summary>How long the keypad still refuses codes after too many wrong ones (zero when it accepts them).</summary>
    public TimeSpan KeypadLockedFor => _codes.Failures.RetryAfter(_time.GetUtcNow());

    /// <summary>
    /// A code typed on the keypad. An accepted code is journalled (collection, used-up code, unlock intent in one
    /// commit) before its door is pulsed, so the collection reaches the core with the time it really happened.
    /// </summary>
    public CodeCheck EnterCode(string typed)
    {
        var check = _codes.Check(typed);
        switch (check)
        {
            case CodeCheck.Accepted a:
                var collected = new DevicePayload.CodeAccepted(a.ParcelId, a.Compartment.Value, a.CollectedAt);
                var intent = _journal.Write(w =>
                {
                    w.DeleteCode(a.ParcelId);
                    w.Append(collected);
                    return w.BeginUnlock(a.Compartment.Value, new UnlockCause(UnlockKind.Collection, ParcelId: a.ParcelId));
                });
                Recorded?.Invoke(collected);
                Pulse(a.Compartment.Value, intent);
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
