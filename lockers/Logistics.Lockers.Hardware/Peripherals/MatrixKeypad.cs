using System.Device.Gpio;
using Iot.Device.KeyMatrix;

namespace Logistics.Lockers.Hardware.Peripherals;

/// <summary>
/// A membrane matrix keypad through dotnet/iot's KeyMatrix binding: the binding scans the row lines (outputs) in
/// turn on its own thread and reads the column lines (inputs with pull-downs); a key is reported when it goes down.
/// </summary>
public sealed class MatrixKeypad : IDisposable
{
    private readonly KeyMatrix _matrix;
    private readonly string _layout;
    private readonly int _columns;

    /// <param name="layout">The keys row by row, e.g. "123A456B789C*0#D" for a 4×4 keypad.</param>
    public MatrixKeypad(GpioController controller, IReadOnlyList<int> rowPins, IReadOnlyList<int> columnPins, string layout, TimeSpan scanInterval)
    {
        if (layout.Length != rowPins.Count * columnPins.Count)
        {
            throw new ArgumentException($"A {rowPins.Count}×{columnPins.Count} keypad needs {rowPins.Count * columnPins.Count} keys in its layout.", nameof(layout));
        }

        _layout = layout;
        _columns = columnPins.Count;
        _matrix = new KeyMatrix(rowPins, columnPins, scanInterval, PinMode.InputPullDown, controller, shouldDispose: false);
        _matrix.KeyEvent += OnKey;
    }

    /// <summary>A key went down (called on the binding's scanning thread).</summary>
    public event Action<char>? KeyPressed;

    public void Start() => _matrix.StartListeningKeyEvent();

    public void Dispose()
    {
        _matrix.KeyEvent -= OnKey;
        _matrix.StopListeningKeyEvent();
        _matrix.Dispose();
    }

    private void OnKey(object sender, KeyMatrixEvent e)
    {
        if (e.EventType == PinEventTypes.Rising)
        {
            KeyPressed?.Invoke(_layout[(e.Output * _columns) + e.Input]);
        }
    }
}
