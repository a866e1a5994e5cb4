using System.Globalization;
using Logistics.Application.Refusals;
using Logistics.Application.Streams;
using Logistics.Domain;
using nietras.SeparatedValues;

namespace Logistics.Application.Parcels;

/// <summary>A parcel registered from a line of a shop's file (or registered by an earlier import of the same reference).</summary>
public sealed record ImportedRow(int Line, string Reference, string ParcelId, string TrackingId);

/// <summary>A line of a shop's file that registered nothing, and why (per field when a field is wrong).</summary>
public sealed record RejectedRow(int Line, string? Reference, string Code, string Message, IDictionary<string, string[]>? Errors);

public sealed record ImportAnswer(IReadOnlyList<ImportedRow> Imported, IReadOnlyList<RejectedRow> Rejected);

/// <summary>
/// Parcels registered from a CSV file at the shop's counter (comma, semicolon or tab separated, detected; a header
/// line names the columns, in any order and case). Each line is registered as the API would register it, with its
/// <c>reference</c> (the shop's own number for the parcel) as the idempotency key, so importing a file again, or a
/// file that overlaps an earlier one, registers nothing twice. Lines that cannot be registered are reported with
/// their line number and reason; the others are registered.
/// </summary>
public sealed class ParcelImport(ParcelActions actions)
{
    public const int MaxRows = 1000;
    public const int MaxReference = 64;

    public const string NotCsvCode = "import.not-csv";
    public const string ColumnsCode = "import.columns";
    public const string TooManyRowsCode = "import.too-many-rows";
    public const string NothingImportedCode = "import.nothing-imported";
    public const string DuplicateCode = "import.duplicate-reference";
    public const string NotANumberCode = "import.not-a-number";
    public const string NotADateCode = "import.not-a-date";

    /// <summary>The columns a file may have; those marked required must be there.</summary>
    public static IReadOnlyList<(string Name, bool Required, string Meaning)> Columns { get; } =
    [
        ("reference", true, "the shop's own number for the parcel (letters, digits, '.', '_', ':' or '-'); a reference imported before is not registered again"),
        ("name", true, "the recipient's name"),
        ("phone", false, "the recipient's mobile phone (a phone or an e-mail is needed for the code)"),
        ("email", false, "the recipient's e-mail"),
        ("size", true, "S, M or L"),
        ("destination", true, "locker, relay, home or homeBox"),
        ("locker", false, "the locker's id, for a locker"),
        ("relay", false, "the relay shop's id, for a relay"),
        ("box", false, "the home box's id, for a homeBox (its owner's parcels only)"),
        ("street", false, "the recipient's street, for home"),
        ("postalCode", false, "the recipient's postal code, for home"),
        ("city", false, "the recipient's town, for home"),
        ("latitude", false, "the recipient's latitude, for home (a decimal point or comma)"),
        ("longitude", false, "the recipient's longitude, for home"),
        ("from", false, "for home, the start of the delivery window (ISO 8601, e.g. 2026-12-07T14:00:00+01:00)"),
        ("to", false, "for home, the end of the delivery window"),
        ("promisedBy", false, "for a priority parcel, the time promised to the recipient (ISO 8601)"),
    ];

    public async Task<ImportAnswer> ImportAsync(ShopId shop, string csv, Actor actor, CancellationToken cancellationToken = default)
    {
        var lines = Read(csv);
        var imported = new List<ImportedRow>();
        var rejected = new List<RejectedRow>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, values) in lines)
        {
            var reference = values.GetValueOrDefault("reference");
            if (!InputLimits.IsId(reference) || reference!.Length > MaxReference)
            {
                rejected.Add(Field(line, reference, "reference", InputLimits.IdSyntaxCode, $"A reference of 1 to {MaxReference} letters, digits, '.', '_', ':' or '-'."));
                continue;
            }

            if (!seen.Add(reference))
            {
                rejected.Add(new RejectedRow(line, reference, DuplicateCode, $"Reference {reference} is on an earlier line of this file.", null));
                continue;
            }

            try
            {
                var request = Request(values);
                var parcel = await actions.RegisterAsync(shop, request with { Reference = reference }, new CommandContext(actor, $"import:{reference}"), cancellationToken);
                imported.Add(new ImportedRow(line, reference, parcel.ParcelId, parcel.TrackingId));
            }
            catch (Refusal e) when (e.Kind is RefusalKind.Invalid or RefusalKind.NotFound or RefusalKind.Conflict or RefusalKind.Forbidden)
            {
                rejected.Add(new RejectedRow(line, reference, e.Code, e.Message, e.Errors));
            }
            catch (DomainRuleViolation e)
            {
                rejected.Add(new RejectedRow(line, reference, e.Code, e.Message, null));
            }
        }

        return new ImportAnswer(imported, rejected);
    }

    /// <summary>The file's lines, each as its values by column (empty values left out), with its line number.</summary>
    private static List<(int Line, Dictionary<string, string> Values)> Read(string csv)
    {
        if (string.IsNullOrWhiteSpace(csv))
        {
            throw new Refusal(NotCsvCode, RefusalKind.BadRequest, "No file", "The file is empty: a header line and one line per parcel are expected.");
        }

        try
        {
            using var reader = Sep.Auto.Reader(o => o with { Unescape = true, Trim = SepTrim.All, DisableColCountCheck = true }).FromText(csv);
            var names = reader.Header.ColNames;
            var known = Columns.ToDictionary(c => c.Name, c => c.Name, StringComparer.OrdinalIgnoreCase);
            var unknown = names.Where(n => !known.ContainsKey(n)).ToList();
            var missing = Columns.Where(c => c.Required && !names.Contains(c.Name, StringComparer.OrdinalIgnoreCase)).Select(c => c.Name).ToList();
            if (unknown.Count > 0 || missing.Count > 0 || names.Count != names.Distinct(StringComparer.OrdinalIgnoreCase).Count())
            {
                throw new Refusal(ColumnsCode, RefusalKind.Invalid, "Columns not understood", ColumnsProblem(unknown, missing))
                {
                    Values = new Dictionary<string, object> { ["unknown"] = string.Join(", ", unknown), ["missing"] = string.Join(", ", missing) },
                };
            }

            var columns = names.Select(n => known[n]).ToArray();
            var lines = new List<(int, Dictionary<string, string>)>();
            foreach (var row in reader)
            {
                var values = new Dictionary<string, string>(StringComparer.Ordinal);
                for (var i = 0; i < Math.Min(row.ColCount, columns.Length); i++)
                {
                    if (row[i].ToString() is { Length: > 0 } value)
                    {
                        values[columns[i]] = value;
                    }
                }

                if (values.Count == 0)
                {
                    continue;
                }

                if (lines.Count == MaxRows)
                {
                    throw new Refusal(TooManyRowsCode, RefusalKind.TooLarge, "Too many lines", $"A file holds at most {MaxRows} parcels; split it.")
                    {
                        Values = new Dictionary<string, object> { ["max"] = MaxRows },
                    };
                }

                lines.Add((row.LineNumberFrom, values));
            }

            return lines;
        }
        catch (Exception e) when (e is not Refusal)
        {
            throw new Refusal(NotCsvCode, RefusalKind.BadRequest, "Not a CSV file", "The file could not be read as CSV (a header line, then one line per parcel, separated by commas or semicolons).");
        }
    }

    private static string ColumnsProblem(IReadOnlyList<string> unknown, IReadOnlyList<string> missing) =>
        string.Join(
            " ",
            new[]
            {
                unknown.Count > 0 ? $"Unknown columns: {string.Join(", ", unknown)}." : null,
                missing.Count > 0 ? $"Missing columns: {string.Join(", ", missing)}." : null,
                unknown.Count == 0 && missing.Count == 0 ? "A column is named twice." : null,
                $"The columns are: {string.Join(", ", Columns.Select(c => c.Name))}.",
            }.Where(s => s is not null));

    /// <summary>The registration a line asks for; the registration itself checks the rest, as for the API.</summary>
    private static RegisterParcelRequest Request(Dictionary<string, string> v)
    {
        var check = new Validation();
        // Sizes by name only, as in the API ("7" is no size).
        var size = v.GetValueOrDefault("size") is { } s && Enum.GetNames<ParcelSize>().FirstOrDefault(n => n.Equals(s, StringComparison.OrdinalIgnoreCase)) is { } name
            ? Enum.Parse<ParcelSize>(name)
            : (ParcelSize?)null;
        check.Require(size is not null || !v.ContainsKey("size"), "size", InputLimits.OutOfRangeCode, "S, M or L.");
        var latitude = Number(v, "latitude", check);
        var longitude = Number(v, "longitude", check);
        var from = Date(v, "from", check);
        var to = Date(v, "to", check);
        var promisedBy = Date(v, "promisedBy", check);
        check.ThrowIfAny();

        var kind = v.GetValueOrDefault("destination")?.ToLowerInvariant();
        var address = kind == "home" || v.ContainsKey("street")
            ? new AddressInput(v.GetValueOrDefault("street"), v.GetValueOrDefault("postalCode"), v.GetValueOrDefault("city"), latitude, longitude)
            : null;
        return new RegisterParcelRequest(
            new RecipientInput(v.GetValueOrDefault("name"), v.GetValueOrDefault("phone"), v.GetValueOrDefault("email"), address),
            size,
            new DestinationInput(kind, v.GetValueOrDefault("locker"), v.GetValueOrDefault("relay"), from, to, v.GetValueOrDefault("box")),
            promisedBy);
    }

    private static double? Number(Dictionary<string, string> values, string column, Validation check)
    {
        if (values.GetValueOrDefault(column) is not { } text)
        {
            return null;
        }

        var ok = double.TryParse(text.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var number);
        check.Require(ok, column, NotANumberCode, "A number, such as 47.4130.");
        return ok ? number : null;
    }

    private static DateTimeOffset? Date(Dictionary<string, string> values, string column, Validation check)
    {
        if (values.GetValueOrDefault(column) is not { } text)
        {
            return null;
        }

        var ok = DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date);
        check.Require(ok, column, NotADateCode, "A date and time, such as 2026-12-07T14:00:00+01:00.");
        return ok ? date : null;
    }

    private static RejectedRow Field(int line, string? reference, string field, string code, string message) =>
        new(line, reference, code, message, new Dictionary<string, string[]> { [field] = [message] });
}
