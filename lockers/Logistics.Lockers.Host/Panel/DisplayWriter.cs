using Logistics.Lockers.Hardware.Peripherals;

namespace Logistics.Lockers.Host.Panel;

/// <summary>
/// Writes screens to a character display on its own task, newest first: a screen replaced before it was written is
/// never written, so a slow I²C display never holds up the panel, the doors or the journal.
/// </summary>
internal sealed class DisplayWriter : IDisposable
{
    private readonly CharacterDisplay _display;
    private readonly Action<string> _log;
    private readonly SemaphoreSlim _pending = new(0, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _writing;
    private IReadOnlyList<string>? _next;

    public DisplayWriter(CharacterDisplay display, Action<string> log)
    {
        _display = display;
        _log = log;
        _writing = Task.Run(WriteAsync);
    }

    public void Post(IReadOnlyList<string> lines)
    {
        if (Interlocked.Exchange(ref _next, lines) is null)
        {
            try
            {
                _pending.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled: the writer will take the newest screen.
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _writing.Wait(TimeSpan.FromSeconds(2));
        _stop.Dispose();
        _pending.Dispose();
    }

    private async Task WriteAsync()
    {
        try
        {
            while (true)
            {
                await _pending.WaitAsync(_stop.Token);
                if (Interlocked.Exchange(ref _next, null) is { } lines)
                {
                    try
                    {
                        _display.Show(lines);
                    }
                    catch (IOException e)
                    {
                        _log($"display: {e.Message}");
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped.
        }
    }
}
