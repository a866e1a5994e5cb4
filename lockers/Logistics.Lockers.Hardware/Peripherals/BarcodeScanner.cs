using System.IO.Ports;
using System.Text;

namespace Logistics.Lockers.Hardware.Peripherals;

/// <summary>
/// A QR/barcode scanner in its serial mode (USB CDC-ACM, <c>/dev/ttyACM0</c>, or a UART): it sends each code it reads
/// as one line ending in CR, LF or both. Lines are read on a background task and reported one by one.
/// </summary>
public sealed class BarcodeScanner : IDisposable
{
    private readonly SerialPort? _port;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;

    /// <summary>Reads codes from a serial port.</summary>
    public BarcodeScanner(string portName, int baudRate, Action<string> scanned)
    {
        _port = new SerialPort(portName, baudRate) { ReadTimeout = SerialPort.InfiniteTimeout };
        _port.Open();
        _reading = ReadLinesAsync(_port.BaseStream, scanned, _stop.Token);
    }

    /// <summary>Reads codes from any stream (what the serial port gives), for tests and other transports.</summary>
    public BarcodeScanner(Stream stream, Action<string> scanned) =>
        _reading = ReadLinesAsync(stream, scanned, _stop.Token);

    /// <summary>Completes when the scanner is gone (its stream ended) or disposed.</summary>
    public Task Completion => _reading;

    /// <summary>Each non-empty line, trimmed, as the scanner sent it (ASCII or UTF-8; CR, LF or CRLF ends a line).</summary>
    public static async Task ReadLinesAsync(Stream stream, Action<string> scanned, CancellationToken cancellationToken)
    {
        var line = new StringBuilder();
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        var buffer = new char[256];
        try
        {
            int read;
            while ((read = await reader.ReadAsync(buffer, cancellationToken)) > 0)
            {
                foreach (var c in buffer.AsSpan(0, read))
                {
                    if (c is '\r' or '\n')
                    {
                        Emit(line, scanned);
                    }
                    else
                    {
                        line.Append(c);
                    }
                }
            }

            Emit(line, scanned);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Disposed.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _port?.Dispose();
        try
        {
            _reading.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // A port pulled out mid-read: nothing more to read.
        }

        _stop.Dispose();
    }

    private static void Emit(StringBuilder line, Action<string> scanned)
    {
        var text = line.ToString().Trim();
        line.Clear();
        if (text.Length > 0)
        {
            scanned(text);
        }
    }
}
