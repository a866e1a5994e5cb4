namespace Logistics.EventStore;

/// <summary>Wakes in-process readers after an append; readers on other nodes fall back to polling.</summary>
internal sealed class AppendSignal
{
    private TaskCompletionSource _next = New();

    public void Pulse() => Interlocked.Exchange(ref _next, New()).TrySetResult();

    public Task Next() => Volatile.Read(ref _next).Task;

    private static TaskCompletionSource New() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
