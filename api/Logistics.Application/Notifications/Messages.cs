using System.Globalization;
using Logistics.Application.Parcels;

namespace Logistics.Application.Notifications;

/// <summary>The texts sent to recipients, in French then English (the first users are French town-centre shops).</summary>
public static class Messages
{
    private static string When(DateTimeOffset at) => at.ToString("dd/MM HH:mm 'UTC'", CultureInfo.InvariantCulture);

    private static string HowToType(IssuedCode code) => code.WithPhoneDigits
        ? $"Code : {code.Display} puis les 4 derniers chiffres de votre téléphone / then the last 4 digits of your phone."
        : $"Code : {code.Display}.";

    public static string CodeReady(string tracking, string place, int compartment, IssuedCode code, DateTimeOffset collectBy) =>
        $"Votre colis {tracking} vous attend à {place}" + (compartment > 0 ? $" (casier {compartment})" : "") +
        $" jusqu'au {When(collectBy)}. {HowToType(code)} Your parcel {tracking} is waiting at {place} until {When(collectBy)}. Suivi / tracking: /track/{tracking}#code={code.Code}";

    /// <summary>
    /// One code for several parcels of the recipient's at one locker: each named by its shop and tracking number (what
    /// the recipient already knows of them, nothing more), the code replacing any they were sent before.
    /// </summary>
    public static string CodeReadyShared(string tracking, string place, IReadOnlyList<SharedParcel> parcels, IssuedCode code)
    {
        var fr = string.Join(", ", parcels.Select(p => $"{p.Shop} {p.Tracking} (casier {p.Compartment}, jusqu'au {When(p.CollectBy)})"));
        var en = string.Join(", ", parcels.Select(p => $"{p.Shop} {p.Tracking} (door {p.Compartment}, until {When(p.CollectBy)})"));
        return $"Vos {parcels.Count} colis vous attendent à {place} : {fr}. Un seul code les ouvre tous, il remplace celui reçu avant. {HowToType(code)} " +
            $"Your {parcels.Count} parcels are waiting at {place}: {en}. One code opens them all and replaces the one sent before. Suivi / tracking: /track/{tracking}#code={code.Code}";
    }

    public static string CodeReadyAtRelay(string tracking, string shop, IssuedCode code, DateTimeOffset collectBy) =>
        $"Votre colis {tracking} vous attend chez {shop} jusqu'au {When(collectBy)}. {HowToType(code)} Your parcel is waiting at {shop}.";

    public static string Reminder(string tracking, DateTimeOffset collectBy) =>
        $"Rappel : votre colis {tracking} vous attend jusqu'au {When(collectBy)}. Reminder: your parcel waits until {When(collectBy)}. Plus de temps / more time: /track/{tracking}";

    public static string Expired(string tracking) =>
        $"Votre colis {tracking} n'a pas été retiré à temps et retourne au magasin. Your parcel was not collected in time and goes back to the shop.";

    public static string InHomeBox(string tracking, string shop) =>
        $"Votre colis {tracking} de {shop} est dans votre boîte à colis. Your parcel from {shop} is in your box.";

    public static string Delivered(string tracking) =>
        $"Votre colis {tracking} a été livré. Your parcel {tracking} was delivered.";
}

/// <summary>A parcel as a shared code's message names it.</summary>
public sealed record SharedParcel(string Shop, string Tracking, int Compartment, DateTimeOffset CollectBy);
