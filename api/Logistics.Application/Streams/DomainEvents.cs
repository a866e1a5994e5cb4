using Logistics.Domain;
using Logistics.Domain.Couriers;
using Logistics.Domain.HomeBoxes;
using Logistics.Domain.Lockers;
using Logistics.Domain.Parcels;
using Logistics.Domain.Rounds;
using Logistics.Domain.Shops;
using Logistics.EventStore.PersonalData;
using Logistics.EventStore.Serialization;

namespace Logistics.Application.Streams;

/// <summary>
/// The domain's events as the store knows them: names, versions, and the recipient's personal data sealed per person
/// (the <see cref="Recipient"/> and every <see cref="PersonalText"/>, the free text typed about their parcel).
/// </summary>
public static class DomainEvents
{
    public static EventTypeRegistry Registry() => new EventTypeRegistry()
        .RegisterAllDerivedFrom(typeof(ParcelEvent))
        .RegisterAllDerivedFrom(typeof(LockerEvent))
        .RegisterAllDerivedFrom(typeof(ShopEvent))
        .RegisterAllDerivedFrom(typeof(CourierEvent))
        .RegisterAllDerivedFrom(typeof(RoundEvent))
        .RegisterAllDerivedFrom(typeof(HomeBoxEvent));

    public static EventSerializer Serializer(IPersonalDataKeys keys) => new(
        Registry(),
        [
            new PersonalDataConverter<Recipient>(keys, r => r.Person.Value, ErasedRecipient),
            new PersonalDataConverter<PersonalText>(keys, t => t.Person.Value, ErasedText, UnsealedText),
            new RoundStopConverter(),

            // After the sealing converter: what reads a recipient once it is unsealed.
            new RecipientConverter(),
        ],
        [typeof(ParcelEvent).Assembly]);

    /// <summary>What a recipient reads as once their data was erased on request.</summary>
    public static Recipient ErasedRecipient(string personId) => new(new PersonId(personId), Erased, null, null, null);

    /// <summary>What a free-text reason about their parcel reads as once the recipient's data was erased.</summary>
    public static PersonalText ErasedText(string personId) => new(new PersonId(personId), Erased);

    /// <summary>A reason stored before reasons were sealed (a plain string): no person was recorded with it.</summary>
    public static PersonalText UnsealedText(string text) => new(new PersonId(""), text);

    public const string Erased = "[erased]";
}
