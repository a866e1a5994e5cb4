namespace Logistics.Domain.Parcels;

/// <summary>
/// Who receives a parcel. All of it is personal data: the store encrypts this record as one piece under the
/// person's key, so erasing the key erases name, phone, e-mail and address together.
/// </summary>
public sealed record Recipient(PersonId Person, string Name, string? Phone, string? Email, HomeAddress? Address);

public sealed record HomeAddress(string Street, string PostalCode, string City, GeoPoint Location);
