using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    [Fact]
    public void GivenAwaitingCollection_WhenSendReminderAtItsTime_ThenReminderSent() =>
        Given(InLocker()).When(new SendReminder(RemindAt)).Then(new ReminderSent(Id, CollectBy, RemindAt));

    [Fact]
    public void GivenAwaitingCollection_WhenSendReminderTooEarly_ThenRefused() =>
        Given(InLocker()).When(new SendReminder(RemindAt.AddMinutes(-1))).ThenRefused("parcel.reminder-not-due");

    [Fact]
    public void GivenReminderSent_WhenSendReminderAgain_ThenNothingHappens() =>
        Given([.. InLocker(), new ReminderSent(Id, CollectBy, RemindAt)]).When(new SendReminder(RemindAt.AddHours(1))).Then();

    [Fact]
    public void GivenCollected_WhenSendReminder_ThenRefused() =>
        Given([.. InLocker(), new ParcelCollected(Id, Locker, 7, null, DepositedAt.AddHours(1))])
            .When(new SendReminder(RemindAt))
            .ThenRefused("parcel.already-collected");
}
