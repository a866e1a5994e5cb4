using Logistics.Lockers.Codes;

namespace Logistics.Lockers.Host.Panel;

/// <summary>What the display says, in the board's language; each line fits a 16-character display.</summary>
public sealed record PanelText(
    string[] Idle,
    string CodePrompt,
    Func<int, string[]> DoorOpening,
    Func<int, string[]> DoorClosed,
    string[] WrongCode,
    string[] Expired,
    Func<int, string[]> Throttled,
    string[] NotReady,
    Func<string, string[]> LabelScanned,
    Func<string, int, string[]> ParcelHere,
    Func<IReadOnlyList<int>, string[]> DoorsOpening)
{
    public static PanelText French { get; } = new(
        ["Tapez votre code", "ou scannez le QR"],
        "Code :",
        n => [$"Porte {n} ouverte", "Prenez le colis"],
        n => ["Merci !", $"Porte {n} fermée"],
        ["Code erroné", "Vérifiez le code"],
        ["Code expiré", "Voyez la boutique"],
        m => ["Trop d'essais", $"Réessayez {m} min"],
        ["Casier pas prêt", "Réessayez + tard"],
        label => ["Colis scanné", label],
        (label, n) => [$"Colis casier {n}", label],
        doors => [$"Portes {string.Join(',', doors)}", "Prenez vos colis"]);

    public static PanelText English { get; } = new(
        ["Enter your code", "or scan the QR"],
        "Code:",
        n => [$"Door {n} is open", "Take your parcel"],
        n => ["Thank you!", $"Door {n} closed"],
        ["Wrong code", "Check your code"],
        ["Code expired", "See the shop"],
        m => ["Too many tries", $"Retry in {m} min"],
        ["Not ready yet", "Try again later"],
        label => ["Parcel scanned", label],
        (label, n) => [$"Parcel: door {n}", label],
        doors => [$"Doors {string.Join(',', doors)}", "Take your parcels"]);

    public static PanelText For(string language) => language == "en" ? English : French;

    public string[] Answer(CodeCheck check) => check switch
    {
        CodeCheck.Accepted { Shared.Count: > 0 } a => DoorsOpening([.. a.All.Select(o => o.Compartment.Value)]),
        CodeCheck.Accepted a => DoorOpening(a.Compartment.Value),
        CodeCheck.Rejected { Reason: RejectionReason.Throttled } r => Throttled(r.RetryAfterMinutes),
        CodeCheck.Rejected { Reason: RejectionReason.Expired } => Expired,
        CodeCheck.Rejected { Reason: RejectionReason.NotProvisioned } => NotReady,
        _ => WrongCode,
    };
}
