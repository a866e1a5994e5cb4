using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.Domain.Shops;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;

namespace Logistics.Application.Streams;

/// <summary>The domain's events as the store knows them: names, versions, and the recipient sealed per person.</summary>
public static class DomainEvents
{
    public static EventTypeRegistry Registry() => new EventTypeRegistry()
        .RegisterAllDerivedFrom(typeof(ParcelEvent))
        .RegisterAllDerivedFrom(typeof(LockerEvent))
        .RegisterAllDerivedFrom(typeof(ShopEvent))
        .RegisterAllDerivedFrom(typeof(CourierEvent))
        .RegisterAllDerivedFrom(typeof(RoundEvent));

    public static EventSerializer Serializer(IPersonalDataKeys keys) => new(
        Registry(),
        [new PersonalDataConverter<Recipient>(keys, r => r.Person.Value, ErasedRecipient)],
        [typeof(ParcelEvent).Assembly]);

    /// <summary>What a recipient reads as once their data was erased on request.</summary>
    public static Recipient ErasedRecipient(string personId) => new(new PersonId(personId), Erased, null, null, null);

    public const string Erased = "[erased]";
}
