using System.Device.Gpio;
using System.Device.I2c;
using System.Text;
using Iot.Device.CharacterLcd;
using Iot.Device.Pcx857x;

namespace Logistics.Lockers.Hardware.Peripherals;

/// <summary>
/// A 16×2 or 20×4 HD44780 character display on the usual PCF8574 I²C backpack, through dotnet/iot's CharacterLcd
/// binding over its Pcf8574 GPIO driver (backpack wiring P0 RS, P1 RW, P2 E, P3 backlight, P4–P7 D4–D7). The
/// display's ROM has no accented letters: text is shown without its accents ("Code errone"), the rest of a line blank.
/// </summary>
public sealed class CharacterDisplay : IDisposable
{
    // The Latin letters of French, German, Spanish and Italian text, and the same without their marks (the board may
    // run with invariant globalization, where string normalization does not decompose them).
    private const string Unaccented = "àáâäãåçèéêëìíîïñòóôöõùúûüýÿÀÁÂÄÃÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÕÙÚÛÜÝ";
    private const string Plain = "aaaaaaceeeeiiiinooooouuuuyyAAAAAACEEEEIIIINOOOOOUUUUY";
    private readonly Hd44780 _lcd;
    private readonly Lock _gate = new();

    public CharacterDisplay(I2cDevice backpack, int columns = 16, int rows = 2)
    {
        Columns = columns;
        Rows = rows;
        var controller = new GpioController(new Pcf8574(backpack));
        _lcd = (columns, rows) switch
        {
            (16, 2) => new Lcd1602(registerSelectPin: 0, enablePin: 2, dataPins: [4, 5, 6, 7], backlightPin: 3, readWritePin: 1, controller: controller),
            (20, 4) => new Lcd2004(registerSelectPin: 0, enablePin: 2, dataPins: [4, 5, 6, 7], backlightPin: 3, readWritePin: 1, controller: controller),
            _ => throw new ArgumentException($"No {columns}×{rows} display: 16×2 or 20×4.", nameof(columns)),
        };
        _lcd.Clear();
    }

    public int Columns { get; }

    public int Rows { get; }

    /// <summary>Writes every row (missing rows blank), each padded or cut to the display's width.</summary>
    public void Show(IReadOnlyList<string> lines)
    {
        lock (_gate)
        {
            for (var row = 0; row < Rows; row++)
            {
                _lcd.SetCursorPosition(0, row);
                _lcd.Write(Fit(row < lines.Count ? lines[row] : "", Columns));
            }
        }
    }

    /// <summary>The text as the display's ROM can show it: accents dropped, other non-ASCII as '?', cut or padded to <paramref name="width"/>.</summary>
    public static string Fit(string text, int width)
    {
        var plain = new StringBuilder(width);
        foreach (var c in text)
        {
            var folded = Unaccented.IndexOf(c, StringComparison.Ordinal) is var i and >= 0 ? Plain[i].ToString()
                : c switch { 'œ' => "oe", 'Œ' => "OE", 'æ' => "ae", 'Æ' => "AE", '’' => "'", _ => c is >= ' ' and <= '}' ? c.ToString() : "?" };
            plain.Append(folded);
        }

        var fitted = plain.ToString();
        return fitted.Length >= width ? fitted[..width] : fitted.PadRight(width);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _lcd.Dispose();
        }
    }
}
