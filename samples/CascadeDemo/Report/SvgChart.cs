using System.Text;
using Resilience;

namespace CascadeDemo;

/// <summary>One inline SVG chart over the run's time axis: phases, breaker bands, gridlines, data and axes.</summary>
/// <remarks>
/// The output is well-formed XML (every text escaped, every element closed), so tests can parse it, and styling lives
/// in the page's CSS classes rather than in attributes, so the page's legend and the chart agree on colours.
/// Layers are drawn in call order; callers draw backgrounds first. The top margin holds two lanes above the plot:
/// phase names, then (on the resilient chain's charts) B's breaker state.
/// </remarks>
internal sealed class SvgChart
{
    /// <summary>The chart's width in SVG units; the page scales it to its column.</summary>
    public const double Width = 1340;

    private const double Left = 76;
    private const double Right = 20;
    private const double Top = 44;
    private const double Bottom = 40;
    private const double StripTop = 22;
    private const double StripHeight = 12;

    private readonly StringBuilder _svg = new();
    private readonly double _height;
    private readonly double _endSeconds;
    private readonly ChartScale _y;

    /// <summary>Starts a chart.</summary>
    /// <param name="cssClass">A class naming the chart, such as <c>chart-latency</c>.</param>
    /// <param name="label">What the chart shows, for screen readers.</param>
    /// <param name="height">The height in SVG units.</param>
    /// <param name="endSeconds">The end of the time axis, shared by every chart.</param>
    /// <param name="y">The value axis.</param>
    public SvgChart(string cssClass, string label, double height, double endSeconds, ChartScale y)
    {
        _height = height;
        _endSeconds = endSeconds > 0 ? endSeconds : 1;
        _y = y;
        _svg.Append("<svg class=\"chart ").Append(ReportFormat.Escape(cssClass))
            .Append("\" viewBox=\"0 0 ").Append(ReportFormat.Coord(Width)).Append(' ').Append(ReportFormat.Coord(height))
            .Append("\" role=\"img\" aria-label=\"").Append(ReportFormat.Escape(label)).Append("\">");
    }

    private double PlotBottom => _height - Bottom;

    /// <summary>The horizontal position of a moment, in SVG units.</summary>
    public double X(double seconds) => Left + (Math.Clamp(seconds, 0, _endSeconds) / _endSeconds * (Width - Left - Right));

    /// <summary>The vertical position of a value, in SVG units.</summary>
    public double Y(double value) => PlotBottom - (_y.Map(value) * (PlotBottom - Top));

    /// <summary>Shades every other phase, and names each one in the top lane.</summary>
    public void Phases(IReadOnlyList<PhaseWindow> phases)
    {
        for (int i = 0; i < phases.Count; i++)
        {
            PhaseWindow phase = phases[i];
            double x0 = X(phase.StartSeconds), x1 = X(phase.EndSeconds);
            if (i % 2 == 1)
            {
                Rect(x0, Top, x1 - x0, PlotBottom - Top, "phase-shade", null);
            }

            _svg.Append("<text class=\"phase-label\" x=\"").Append(ReportFormat.Coord(x0 + 4)).Append("\" y=\"14\">")
                .Append(ReportFormat.Escape(phase.Name)).Append("<title>").Append(ReportFormat.Escape(PhaseTitle(phase)))
                .Append("</title></text>");
        }
    }

    /// <summary>Draws the separators between phases; call it after the data so they stay visible.</summary>
    public void PhaseSeparators(IReadOnlyList<PhaseWindow> phases)
    {
        foreach (PhaseWindow phase in phases)
        {
            if (phase.StartSeconds > 0)
            {
                double x = X(phase.StartSeconds);
                Line(x, 2, x, PlotBottom, "phase-separator");
            }
        }
    }

    /// <summary>Draws B's breaker states: one band per interval in the lane above the plot, and, when
    /// <paramref name="background"/>, a faint matching band behind the plot.</summary>
    public void Bands(IReadOnlyList<BreakerInterval> intervals, bool background)
    {
        foreach (BreakerInterval interval in intervals)
        {
            double x0 = X(interval.StartSeconds), x1 = X(interval.EndSeconds);
            string state = StateClass(interval.State);
            string title = "B's breaker " + interval.State + ": " + ReportFormat.Number(interval.StartSeconds) + " s to "
                + ReportFormat.Number(interval.EndSeconds) + " s";
            Rect(x0, StripTop, x1 - x0, StripHeight, "band band-" + state, title);
            if (background && interval.State != CircuitBreakerState.Closed)
            {
                Rect(x0, Top, x1 - x0, PlotBottom - Top, "band-bg band-bg-" + state, null);
            }
        }
    }

    /// <summary>Draws an interval in the lane above the plot (with a tooltip) and, when <paramref name="overlayClass"/> is
    /// given, a matching rectangle over the plot, drawn in call order (after bars, it lies on them).</summary>
    public void LaneBand(double fromSeconds, double toSeconds, string cssClass, string title, string? overlayClass)
    {
        double x0 = X(fromSeconds), x1 = X(toSeconds);
        Rect(x0, StripTop, x1 - x0, StripHeight, cssClass, title);
        if (overlayClass is not null)
        {
            Rect(x0, Top, x1 - x0, PlotBottom - Top, overlayClass, null);
        }
    }

    /// <summary>Draws the horizontal gridlines with their labels, the time axis, and the axis titles.</summary>
    public void Axes(string yTitle)
    {
        foreach ((double value, string label) in _y.Ticks)
        {
            double y = Y(value);
            Line(Left, y, Width - Right, y, "grid");
            Text(Left - 8, y + 4, "tick tick-y", label);
        }

        double step = ChartScale.NiceStep(_endSeconds / 14);
        for (double s = 0; s <= _endSeconds + 1e-9; s += step)
        {
            double x = X(s);
            Line(x, PlotBottom, x, PlotBottom + 5, "axis");
            Text(x, PlotBottom + 19, "tick tick-x", ReportFormat.Number(s));
        }

        Line(Left, PlotBottom, Width - Right, PlotBottom, "axis");
        Line(Left, Top, Left, PlotBottom, "axis");
        Text(Width - Right, _height - 4, "axis-title axis-title-x", "seconds since start");
        _svg.Append("<text class=\"axis-title axis-title-y\" transform=\"translate(14 ")
            .Append(ReportFormat.Coord((Top + PlotBottom) / 2)).Append(") rotate(-90)\">")
            .Append(ReportFormat.Escape(yTitle)).Append("</text>");
    }

    /// <summary>Draws a horizontal reference line across the plot, labelled at its right end.</summary>
    public void Threshold(double value, string cssClass, string label)
    {
        double y = Y(value);
        Line(Left, y, Width - Right, y, cssClass);
        Text(Width - Right - 4, y - 5, "threshold-label", label);
    }

    /// <summary>Draws a polyline through the points; a <see langword="null"/> point breaks it, so gaps in the data stay gaps.</summary>
    public void Path(IEnumerable<(double Seconds, double Value)?> points, string cssClass)
    {
        var d = new StringBuilder();
        bool pen = false;
        foreach ((double Seconds, double Value)? point in points)
        {
            if (point is not { } p)
            {
                pen = false;
                continue;
            }

            d.Append(pen ? " L" : (d.Length > 0 ? " M" : "M")).Append(ReportFormat.Coord(X(p.Seconds))).Append(' ')
                .Append(ReportFormat.Coord(Y(p.Value)));
            pen = true;
        }

        if (d.Length > 0)
        {
            _svg.Append("<path class=\"").Append(ReportFormat.Escape(cssClass)).Append("\" d=\"").Append(d).Append("\"/>");
        }
    }

    /// <summary>Draws a rectangle between two moments and two values, with an optional tooltip.</summary>
    public void Bar(double fromSeconds, double toSeconds, double fromValue, double toValue, string cssClass, string? title)
    {
        double x0 = X(fromSeconds), x1 = X(toSeconds), y0 = Y(toValue), y1 = Y(fromValue);
        Rect(x0, y0, x1 - x0, y1 - y0, cssClass, title);
    }

    /// <summary>Writes a message in the middle of the plot, for a chart without data.</summary>
    public void Message(string text) => Text((Left + Width - Right) / 2, (Top + PlotBottom) / 2, "empty-message", text);

    /// <summary>Closes the chart and returns its markup.</summary>
    public override string ToString() => _svg.ToString() + "</svg>";

    /// <summary>The CSS class suffix of a breaker state, such as <c>open</c> or <c>halfopen</c>.</summary>
    public static string StateClass(CircuitBreakerState state) => state.ToString().ToLowerInvariant();

    private static string PhaseTitle(PhaseWindow phase) =>
        phase.Name + ": " + phase.Description + " (" + ReportFormat.Number(phase.StartSeconds) + " s to "
        + ReportFormat.Number(phase.EndSeconds) + " s)";

    private void Rect(double x, double y, double width, double height, string cssClass, string? title)
    {
        _svg.Append("<rect class=\"").Append(ReportFormat.Escape(cssClass)).Append("\" x=\"").Append(ReportFormat.Coord(x))
            .Append("\" y=\"").Append(ReportFormat.Coord(y)).Append("\" width=\"").Append(ReportFormat.Coord(Math.Max(0, width)))
            .Append("\" height=\"").Append(ReportFormat.Coord(Math.Max(0, height))).Append('"');
        if (title is null)
        {
            _svg.Append("/>");
            return;
        }

        _svg.Append("><title>").Append(ReportFormat.Escape(title)).Append("</title></rect>");
    }

    private void Line(double x1, double y1, double x2, double y2, string cssClass) =>
        _svg.Append("<line class=\"").Append(cssClass).Append("\" x1=\"").Append(ReportFormat.Coord(x1)).Append("\" y1=\"")
            .Append(ReportFormat.Coord(y1)).Append("\" x2=\"").Append(ReportFormat.Coord(x2)).Append("\" y2=\"")
            .Append(ReportFormat.Coord(y2)).Append("\"/>");

    private void Text(double x, double y, string cssClass, string text) =>
        _svg.Append("<text class=\"").Append(cssClass).Append("\" x=\"").Append(ReportFormat.Coord(x)).Append("\" y=\"")
            .Append(ReportFormat.Coord(y)).Append("\">").Append(ReportFormat.Escape(text)).Append("</text>");
}
