using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    private static readonly DateTimeOffset ErasedAt = T0.AddDays(40);

    [Fact]
    public void GivenCollected_WhenEraseRecipient_ThenRecipientErasedNamingThePerson()
    {
        var collected = new ParcelCollected(Id, Locker, 7, null, T0.AddDays(2));

        Given([.. InLocker(), collected]).When(new EraseRecipient(ErasedAt)).Then(new RecipientErased(Id, Recipient.Person, ErasedAt));
    }

    [Fact]
    public void GivenRegistered_WhenEraseRecipient_ThenRecipientErasedAndTheParcelGoesOn()
    {
        var spec = Given(Registered()).When(new EraseRecipient(ErasedAt));

        spec.Then(new RecipientErased(Id, Recipient.Person, ErasedAt));
        Assert.Equal(ParcelStatus.AwaitingPickup, ParcelTimeline.StatusOf(spec.ThenState()));
    }

    [Fact]
    public void GivenNothing_WhenEraseRecipient_ThenRefused() =>
        Given().When(new EraseRecipient(ErasedAt)).ThenRefused("parcel.not-registered");
}
