using System.Device.Gpio;
using Iot.Device.KeyMatrix;
using Logistics.Lockers.Hardware.Gpio;

namespace Logistics.Lockers.Hardware.Peripherals;

/// <summary>
/// A membrane matrix keypad through dotnet/iot's KeyMatrix binding: the binding scans the row lines (outputs) in
/// turn on its own thread and reads the column lines (inputs with pull-downs); a key is reported when it goes down.
/// The binding gets its own controller over the chip's lines (<see cref="SharedLinesDriver"/>).
/// </summary>
public sealed class MatrixKeypad : IDisposable
{
    private readonly KeyMatrix _matrix;
    private readonly ScanLines _lines;
    private readonly string _layout;
    private readonly int _columns;

    /// <param name="layout">The keys row by row, e.g. "123A456B789C*0#D" for a 4×4 keypad.</param>
    public MatrixKeypad(GpioController chip, IReadOnlyList<int> rowPins, IReadOnlyList<int> columnPins, string layout, TimeSpan scanInterval)
    {
        if (layout.Length != rowPins.Count * columnPins.Count)
        {
            throw new ArgumentException($"A {rowPins.Count}×{columnPins.Count} keypad needs {rowPins.Count * columnPins.Count} keys in its layout.", nameof(layout));
        }

        _layout = layout;
        _columns = columnPins.Count;
        _lines = new ScanLines(new SharedLinesDriver(chip));
        _matrix = new KeyMatrix(rowPins, columnPins, scanInterval, PinMode.InputPullDown, _lines, shouldDispose: false);
        _matrix.KeyEvent += OnKey;
    }

    /// <summary>A key went down (called on the binding's scanning thread).</summary>
    public event Action<char>? KeyPressed;

    public void Start() => _matrix.StartListeningKeyEvent();

    public void Dispose()
    {
        _matrix.KeyEvent -= OnKey;
        _lines.Close();
        _matrix.StopListeningKeyEvent();
        _matrix.Dispose();
        _lines.Dispose();
    }

    private void OnKey(object sender, KeyMatrixEvent e)
    {
        if (e.EventType == PinEventTypes.Rising)
        {
            KeyPressed?.Invoke(_layout[(e.Output * _columns) + e.Input]);
        }
    }

    /// <summary>
    /// The binding's controller, kept (and disposed) here: KeyMatrix stops its scanning thread by a flag and closes
    /// the lines after one scan interval; a scan that runs late would then write a closed line (or, had the binding
    /// disposed the controller, a null one) and fail on the binding's own thread, which ends the process. Once
    /// closed, a late scan's reads and writes are dropped instead; closing waits for a read or write in flight.
    /// </summary>
    private sealed class ScanLines(GpioDriver driver) : GpioController(driver)
    {
        private readonly Lock _gate = new();
        private bool _closed;

        public void Close()
        {
            lock (_gate)
            {
                _closed = true;
            }
        }

        public override void Write(int pinNumber, PinValue value)
        {
            lock (_gate)
            {
                if (!_closed)
                {
                    base.Write(pinNumber, value);
                }
            }
        }

        public override PinValue Read(int pinNumber)
        {
            lock (_gate)
            {
                return _closed ? PinValue.Low : base.Read(pinNumber);
            }
        }
    }
}
