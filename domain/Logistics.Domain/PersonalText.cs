namespace Logistics.Domain;

/// <summary>
/// Free text a person typed about a parcel (why a shop cancelled it, why a home delivery failed): it may say anything
/// about the recipient ("away until Monday, call Mrs …"), so it is the recipient's personal data, sealed under
/// <paramref name="Person"/>'s key like the <see cref="Parcels.Recipient"/> and read back as erased once that key is
/// gone. Text written by the system or about a locker, round or courier with no recipient stays a plain string.
/// </summary>
public sealed record PersonalText(PersonId Person, string Text)
{
    public override string ToString() => Text;
}
