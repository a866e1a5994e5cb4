using Logistics.Domain.Parcels;

namespace Logistics.Domain.Tests.Parcels;

public partial class ParcelTests
{
    [Fact]
    public void GivenAwaitingCollection_WhenRecordWrongCode_ThenFirstWrongAttempt() =>
        Given(InLocker()).When(new RecordWrongCode(DepositedAt.AddHours(1))).Then(WrongCode(1));

    [Fact]
    public void GivenFourWrongCodes_WhenRecordWrongCode_ThenFifthAttemptBlocksTheCode()
    {
        var spec = Given([.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4)]).When(new RecordWrongCode(DepositedAt.AddHours(5)));

        spec.Then(WrongCode(5), new PickupCodeBlocked(Id, 5, DepositedAt.AddHours(5)));
        Assert.True(Assert.IsType<Parcel.AwaitingCollection>(spec.ThenState()).Code.Blocked);
    }

    [Fact]
    public void GivenCodeReissuedAfterFourWrongCodes_WhenRecordWrongCode_ThenCountingStartsAgain() =>
        Given([.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4), new PickupCodeReissued(Id, "hash-2", CollectBy, DepositedAt.AddHours(4))])
            .When(new RecordWrongCode(DepositedAt.AddHours(1)))
            .Then(WrongCode(1));

    [Fact]
    public void GivenCodeBlocked_WhenRecordWrongCode_ThenRefused() =>
        Given([.. InLocker(), WrongCode(1), WrongCode(2), WrongCode(3), WrongCode(4), WrongCode(5), new PickupCodeBlocked(Id, 5, DepositedAt.AddHours(5))])
            .When(new RecordWrongCode(DepositedAt.AddHours(6)))
            .ThenRefused("parcel.code-blocked");

    [Fact]
    public void GivenCollected_WhenRecordWrongCode_ThenRefused() =>
        Given([.. InLocker(), new ParcelCollected(Id, Locker, 7, null, DepositedAt.AddHours(1))])
            .When(new RecordWrongCode(DepositedAt.AddHours(2)))
            .ThenRefused("parcel.already-collected");
}
