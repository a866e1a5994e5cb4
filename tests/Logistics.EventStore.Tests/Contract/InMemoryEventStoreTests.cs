using Logistics.EventStore.InMemory;

namespace Logistics.EventStore.Tests.Contract;

public sealed class InMemoryEventStoreTests : EventStoreContract
{
    protected override Task<IEventStore> CreateStoreAsync() => Task.FromResult<IEventStore>(new InMemoryEventStore());
}
