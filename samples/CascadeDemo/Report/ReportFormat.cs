using System.Globalization;
using System.Net;

namespace CascadeDemo;

/// <summary>Text and number formatting for the report: invariant culture everywhere, and every text HTML-escaped.</summary>
/// <remarks>The report is read by people in any locale, and its SVG is parsed as XML by the tests, so a number never
/// depends on the machine's culture (no decimal commas inside coordinates) and no text reaches the page unescaped.</remarks>
internal static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Escapes text for HTML and XML, quotes included, so it is safe in elements and attributes alike.</summary>
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>An SVG coordinate: at most two decimals, '.' as separator.</summary>
    public static string Coord(double value) => value.ToString("0.##", Invariant);

    /// <summary>A share from 0 to 1 as a percentage with one decimal, such as <c>99.5 %</c>.</summary>
    public static string Percent(double share) => (share * 100).ToString("0.0", Invariant) + " %";

    /// <summary>A latency in milliseconds: one decimal below 100 ms, whole milliseconds above (decimals are noise there).</summary>
    public static string Milliseconds(double ms) => ms < 100 ? ms.ToString("0.0", Invariant) : ms.ToString("0", Invariant);

    /// <summary>A whole number, without a thousands separator (a comma would read as a decimal separator in some locales).</summary>
    public static string Integer(long value) => value.ToString(Invariant);

    /// <summary>A plain number with at most two decimals.</summary>
    public static string Number(double value) => value.ToString("0.##", Invariant);

    /// <summary>A duration for people: <c>750 ms</c>, <c>2 s</c>, <c>1.5 s</c>.</summary>
    public static string Duration(TimeSpan duration) => duration.TotalMilliseconds < 1000
        ? duration.TotalMilliseconds.ToString("0.#", Invariant) + " ms"
        : duration.TotalSeconds.ToString("0.##", Invariant) + " s";

    /// <summary>A latency axis label for a power of ten of milliseconds: <c>1 ms</c>, <c>100 ms</c>, <c>10 s</c>.</summary>
    public static string LatencyTick(double ms) => ms >= 1000
        ? (ms / 1000).ToString("0.##", Invariant) + " s"
        : ms.ToString("0.##", Invariant) + " ms";

    /// <summary>When the run started, in UTC, to the second.</summary>
    public static string Timestamp(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC";
}
