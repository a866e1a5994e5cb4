using System.Device.Gpio;

namespace Logistics.Lockers.Hardware.Simulated;

public sealed partial class SimulatedBoard
{
    private readonly List<SimulatedKeypad> _keypads = [];

    /// <summary>
    /// A matrix keypad wired to the board: a held key joins its row line (an output the scanner drives high in turn)
    /// to its column line (an input that then reads high), as a real membrane keypad with pull-downs does.
    /// </summary>
    public SimulatedKeypad AddKeypad(IReadOnlyList<int> rowPins, IReadOnlyList<int> columnPins, string layout)
    {
        foreach (var pin in rowPins.Concat(columnPins))
        {
            CheckPin(pin);
        }

        var keypad = new SimulatedKeypad(rowPins, columnPins, layout);
        lock (_gate)
        {
            _keypads.Add(keypad);
        }

        return keypad;
    }

    private bool IsKeypadColumn(int pin) => _keypads.Any(k => k.ColumnPins.Contains(pin));

    /// <summary>High when a held key joins this column to a row output that is driven high (called under the gate).</summary>
    private PinValue KeypadColumnLevel(int pin)
    {
        foreach (var keypad in _keypads)
        {
            foreach (var (row, column) in keypad.HeldLines())
            {
                if (column == pin && _modes[row] == PinMode.Output && _levels[row])
                {
                    return PinValue.High;
                }
            }
        }

        return PinValue.Low;
    }
}

/// <summary>A membrane keypad on a <see cref="SimulatedBoard"/>: keys are held and released by a test or the demo.</summary>
public sealed class SimulatedKeypad
{
    private readonly Lock _gate = new();
    private readonly HashSet<(int Row, int Column)> _held = [];

    internal SimulatedKeypad(IReadOnlyList<int> rowPins, IReadOnlyList<int> columnPins, string layout)
    {
        if (layout.Length != rowPins.Count * columnPins.Count)
        {
            throw new ArgumentException($"A {rowPins.Count}×{columnPins.Count} keypad needs {rowPins.Count * columnPins.Count} keys in its layout.", nameof(layout));
        }

        RowPins = rowPins;
        ColumnPins = columnPins;
        Layout = layout;
    }

    public IReadOnlyList<int> RowPins { get; }

    public IReadOnlyList<int> ColumnPins { get; }

    /// <summary>The keys row by row, e.g. "123A456B789C*0#D".</summary>
    public string Layout { get; }

    public void Hold(char key)
    {
        var place = Place(key);
        lock (_gate)
        {
            _held.Add(place);
        }
    }

    public void Release(char key)
    {
        var place = Place(key);
        lock (_gate)
        {
            _held.Remove(place);
        }
    }

    internal List<(int RowPin, int ColumnPin)> HeldLines()
    {
        lock (_gate)
        {
            return [.. _held.Select(h => (RowPins[h.Row], ColumnPins[h.Column]))];
        }
    }

    private (int Row, int Column) Place(char key)
    {
        var index = Layout.IndexOf(key, StringComparison.Ordinal);
        return index < 0
            ? throw new ArgumentException($"The keypad has no key '{key}'.", nameof(key))
            : (index / ColumnPins.Count, index % ColumnPins.Count);
    }
}
