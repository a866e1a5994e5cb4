using System.Text.RegularExpressions;

namespace Logistics.Application.Refusals;

/// <summary>
/// The one place that says how big and how shaped any input may be: lengths of the strings a request carries, the
/// ranges of its numbers, the syntax of ids (in the path or in a body), and the size and depth of a body. Requests
/// are checked against these before anything is appended; the HTTP host applies the body and path limits.
/// </summary>
public static partial class InputLimits
{
    /// <summary>Names of people, shops, lockers, couriers; towns.</summary>
    public const int Name = 200;

    /// <summary>Addresses and streets.</summary>
    public const int Address = 300;

    /// <summary>Reasons an operator or courier gives (out of service, remote open, failed delivery, cancellation).</summary>
    public const int Reason = 500;

    /// <summary>Ids of parcels, lockers, shops, couriers, stops, tracking numbers and people: at most this long, of <see cref="IsId"/>'s syntax.</summary>
    public const int Id = 100;

    /// <summary>A shop's own number for a parcel (an order id, a CSV line's reference).</summary>
    public const int Reference = 64;

    public const int Phone = 40;

    /// <summary>RFC 5321's longest path.</summary>
    public const int Email = 254;

    public const int PostalCode = 20;

    /// <summary>A pickup code as typed (the code, perhaps a space and the last digits of a phone).</summary>
    public const int PickupCode = 64;

    /// <summary>A board's public key, PEM or base64 DER (a P-256 key is about 180 characters in PEM).</summary>
    public const int DevicePublicKey = 4096;

    /// <summary>Compartments a locker may have, and the highest compartment number.</summary>
    public const int Compartments = 500;

    /// <summary>Parcels a list in one request may name (a stop's parcels).</summary>
    public const int ParcelList = 500;

    /// <summary>A courier's capacity in size units (S=1, M=2, L=4).</summary>
    public const int Capacity = 1000;

    /// <summary>How far from now a time in a request may be (delivery windows, promises).</summary>
    public static readonly TimeSpan Horizon = TimeSpan.FromDays(366);

    /// <summary>Bytes of a request body; more is answered 413 before the body is read.</summary>
    public const long BodyBytes = 1024 * 1024;

    /// <summary>Nesting of a JSON body; deeper is answered 400 (the deepest request, a parcel's address, is 3 deep).</summary>
    public const int JsonDepth = 32;

    public const string TooLongCode = "validation.too-long";
    public const string IdSyntaxCode = "validation.id-syntax";
    public const string OutOfRangeCode = "validation.out-of-range";
    public const string TooManyCode = "validation.too-many";
    public const string PositionCode = "validation.position-invalid";
    public const string DateRangeCode = "validation.date-range";
    public const string BodyTooLargeCode = "body-too-large";

    /// <summary>Whether a string has the syntax of an id: 1 to <see cref="Id"/> letters, digits, '.', '_', ':' or '-'.</summary>
    public static bool IsId(string? value) => value is { Length: > 0 and <= Id } && IdSyntax().IsMatch(value);

    public static bool IsLatitude(double? value) => value is { } v && double.IsFinite(v) && v is >= -90 and <= 90;

    public static bool IsLongitude(double? value) => value is { } v && double.IsFinite(v) && v is >= -180 and <= 180;

    [GeneratedRegex("^[A-Za-z0-9._:-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex IdSyntax();
}
