namespace Logistics.Testing;

/// <summary>Polls a condition until it holds, or throws <see cref="TimeoutException"/> naming what was awaited.</summary>
public static class Wait
{
    public static async Task UntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Waited too long for " + what);
            }

            await Task.Delay(10, CancellationToken.None);
        }
    }

    public static async Task UntilAsync(Func<Task<bool>> condition, string what, int seconds = 30)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        while (!await condition())
        {
            if (timeout.IsCancellationRequested)
            {
                throw new TimeoutException("Waited too long for " + what);
            }

            await Task.Delay(20, CancellationToken.None);
        }
    }

    /// <summary>As above, the description read when the time is up (it may say what was last seen).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, Func<string> what, int seconds = 30)
    {
        try
        {
            await UntilAsync(condition, "it", seconds);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException("Waited too long for " + what());
        }
    }
}
