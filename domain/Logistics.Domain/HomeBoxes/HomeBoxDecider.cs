using System.Security.Cryptography;
using System.Text;
using static Logistics.Domain.HomeBoxes.HomeBox;

namespace Logistics.Domain.HomeBoxes;

public static class HomeBoxDecider
{
    public static HomeBoxEvent[] Decide(HomeBoxCommand command, HomeBox state) => (command, state) switch
    {
        (ProvisionHomeBox c, NotProvisioned) => string.IsNullOrWhiteSpace(c.PairingCodeHash)
            ? throw new DomainRuleViolation("homebox.pairing-code-missing", $"Home box {c.Box} needs a pairing code.")
            : [new HomeBoxProvisioned(c.Box, c.PairingCodeHash, c.Now)],
        (ProvisionHomeBox c, Available s) when s.PairingCodeHash == c.PairingCodeHash => [],
        (ProvisionHomeBox c, _) => throw new DomainRuleViolation("homebox.already-provisioned", $"Home box {c.Box} is already provisioned."),
        (_, NotProvisioned) => throw new DomainRuleViolation("homebox.unknown", "There is no such home box."),
        (ClaimHomeBox c, Available s) => Same(s.PairingCodeHash, c.PairingCodeHash)
            ? [new HomeBoxClaimed(s.Box, c.Resident, c.PhoneKey, c.Now)]
            : throw WrongCode(),
        (ClaimHomeBox c, Owned s) when Same(s.PairingCodeHash, c.PairingCodeHash) && s.PhoneKey == c.PhoneKey => [],   // a repeat by its owner
        (ClaimHomeBox, Owned) => throw new DomainRuleViolation(
            "homebox.already-claimed",
            "This home box already belongs to a resident; they must release it before it can be paired again."),
        (ReleaseHomeBox c, Owned s) => Same(s.PairingCodeHash, c.PairingCodeHash) && s.PhoneKey == c.PhoneKey
            ? [new HomeBoxReleased(s.Box, s.Resident.Person, c.Now)]
            : throw NotOwner(),
        (ReleaseHomeBox, Available) => [],   // already released: a repeat does nothing
        _ => throw new ArgumentOutOfRangeException(nameof(command), command, "Unknown home box command."),
    };

    private static bool Same(string stored, string given) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(stored), Encoding.ASCII.GetBytes(given));

    private static DomainRuleViolation WrongCode() =>
        new("homebox.wrong-pairing-code", "The pairing code does not match the one printed on this box.");

    private static DomainRuleViolation NotOwner() =>
        new("homebox.not-owner", "The pairing code and phone number do not match this box's owner.");
}
