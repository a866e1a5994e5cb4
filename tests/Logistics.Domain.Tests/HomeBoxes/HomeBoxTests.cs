using Logistics.Domain.HomeBoxes;
using Logistics.Domain.Parcels;
using P = Logistics.Domain.Tests.Parcels.ParcelTests;

namespace Logistics.Domain.Tests.HomeBoxes;

/// <summary>Decider tests for a home box: set up with a pairing code, paired by one resident, given up by them.</summary>
public class HomeBoxTests
{
    private static readonly LockerId Box = new("homebox-dubois");
    private static readonly DateTimeOffset T = P.T0;
    private const string Code = "PAIRING-KEYED";
    private const string Phone = "PHONE-KEYED";

    private static readonly Recipient Resident = P.Recipient;
    private static readonly Recipient Neighbour = P.Recipient with { Person = new PersonId("person-2"), Name = "Marc Petit" };

    private static DeciderSpec<HomeBox, HomeBoxCommand, HomeBoxEvent> Given(params HomeBoxEvent[] history) =>
        new DeciderSpec<HomeBox, HomeBoxCommand, HomeBoxEvent>(HomeBoxDecider.Decide, HomeBox.Evolve, HomeBox.Initial).Given(history);

    private static HomeBoxProvisioned Provisioned() => new(Box, Code, T);

    private static HomeBoxClaimed Claimed() => new(Box, Resident, Phone, T.AddDays(1));

    [Fact]
    public void GivenNothing_WhenProvision_ThenAvailableToPair() =>
        Assert.IsType<HomeBox.Available>(Given().When(new ProvisionHomeBox(Box, Code, T)).ThenState());

    [Fact]
    public void GivenAvailable_WhenClaimWithItsCode_ThenOwnedByTheResident()
    {
        var spec = Given(Provisioned()).When(new ClaimHomeBox(Code, Resident, Phone, T.AddDays(1)));

        spec.Then(Claimed());
        Assert.Equal(Resident, Assert.IsType<HomeBox.Owned>(spec.ThenState()).Resident);
    }

    [Fact]
    public void GivenAvailable_WhenClaimWithAnotherCode_ThenRefused() =>
        Given(Provisioned()).When(new ClaimHomeBox("GUESSED", Resident, Phone, T)).ThenRefused("homebox.wrong-pairing-code");

    [Fact]
    public void GivenNothing_WhenClaim_ThenRefused() =>
        Given().When(new ClaimHomeBox(Code, Resident, Phone, T)).ThenRefused("homebox.unknown");

    [Fact]
    public void GivenOwned_WhenItsOwnerClaimsAgain_ThenNothingHappens() =>
        Given(Provisioned(), Claimed()).When(new ClaimHomeBox(Code, Resident with { Person = new PersonId("person-retry") }, Phone, T.AddDays(2))).Then();

    [Fact]
    public void GivenOwned_WhenANeighbourClaimsWithTheCode_ThenRefused() =>
        Given(Provisioned(), Claimed()).When(new ClaimHomeBox(Code, Neighbour, "OTHER-PHONE", T.AddDays(2))).ThenRefused("homebox.already-claimed");

    [Fact]
    public void GivenOwned_WhenReleasedWithItsCodeAndTheOwnersPhone_ThenAvailableAgain()
    {
        var spec = Given(Provisioned(), Claimed()).When(new ReleaseHomeBox(Code, Phone, T.AddDays(3)));

        spec.Then(new HomeBoxReleased(Box, Resident.Person, T.AddDays(3)));
        Assert.IsType<HomeBox.Available>(spec.ThenState());
    }

    [Fact]
    public void GivenOwned_WhenReleasedWithAnotherPhone_ThenRefused() =>
        Given(Provisioned(), Claimed()).When(new ReleaseHomeBox(Code, "OTHER-PHONE", T.AddDays(3))).ThenRefused("homebox.not-owner");

    [Fact]
    public void GivenReleased_WhenReleasedAgain_ThenNothingHappens() =>
        Given(Provisioned(), Claimed(), new HomeBoxReleased(Box, Resident.Person, T.AddDays(3))).When(new ReleaseHomeBox(Code, Phone, T.AddDays(4))).Then();

    [Fact]
    public void GivenReleased_WhenANeighbourClaims_ThenOwnedByThem() =>
        Given(Provisioned(), Claimed(), new HomeBoxReleased(Box, Resident.Person, T.AddDays(3)))
            .When(new ClaimHomeBox(Code, Neighbour, "OTHER-PHONE", T.AddDays(4)))
            .Then(new HomeBoxClaimed(Box, Neighbour, "OTHER-PHONE", T.AddDays(4)));
}
