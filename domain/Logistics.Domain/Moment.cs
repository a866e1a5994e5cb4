using System.Globalization;

namespace Logistics.Domain;

/// <summary>How refusal messages show times: people read them, so minutes are enough.</summary>
internal static class Moment
{
    public static string Format(DateTimeOffset moment) =>
        moment.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
}
