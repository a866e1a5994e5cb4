namespace Logistics.Lockers.Doors;

public enum UnlockResult
{
    /// <summary>The pulse is sent or queued behind another pulse on the same rail.</summary>
    Started,
    AlreadyOpen,
    AlreadyUnlocking,
    UnknownCompartment,
}
