namespace Logistics.Domain.Parcels;

/// <summary>
/// What a courier kept of a home delivery, or of a failed one: a photo, or the signature of the person who took the
/// parcel (with their name). The event names it only: the images and the name are the recipient's personal data,
/// kept sealed under their key outside the stream (<paramref name="Id"/> finds them), so the stream stays small and
/// erasing the recipient makes the proof unreadable.
/// </summary>
public sealed record DeliveryProof(string Id, bool Photo, bool Signature);
