namespace Logistics.Lockers.Host.Controller;

/// <summary>What the controller needs of fleet updates to execute an <c>installRelease</c> command.</summary>
public interface IReleaseUpdates
{
    /// <summary>Why <paramref name="version"/> cannot be installed now, or null.</summary>
    string? CannotInstall(string version);

    /// <summary>Starts fetching and installing in the background; the outcome arrives as an update event.</summary>
    void Begin(string version);
}
