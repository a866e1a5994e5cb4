using Logistics.Domain.LockerLink;
using Logistics.Lockers.Codes;

namespace Logistics.Lockers.Host.Controller;

public sealed partial class LockerController
{
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
                    w.RecordCodeFailure(_time.GetUtcNow());
                    return w.Append(new DevicePayload.CodeRejected(r.Reason.ToString(), (long)Math.Ceiling(r.RetryAfter.TotalSeconds)));
                });
                break;
        }

        return check;
    }
}
