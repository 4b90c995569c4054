namespace CascadeDemo;

/// <summary>A value axis: maps a value to a position from 0 (bottom) to 1 (top), and names its ticks.</summary>
internal abstract class ChartScale
{
    /// <summary>The value's position, from 0 at the bottom of the plot to 1 at the top; values outside the domain are clamped.</summary>
    public abstract double Map(double value);

    /// <summary>The ticks to draw, bottom to top, each with its label.</summary>
    public abstract IReadOnlyList<(double Value, string Label)> Ticks { get; }

    /// <summary>A linear axis from 0 to a round maximum at or above <paramref name="max"/>.</summary>
    public static ChartScale Linear(double max, Func<double, string> label) => new LinearScale(max, label);

    /// <summary>A logarithmic axis over whole powers of ten covering <paramref name="min"/> to <paramref name="max"/>.</summary>
    public static ChartScale Log(double min, double max, Func<double, string> label) => new LogScale(min, max, label);

    /// <summary>The smallest 1, 2 or 5 × 10ⁿ at or above <paramref name="value"/>: a tick step people read at a glance.</summary>
    public static double NiceStep(double value)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            return 1;
        }

        double power = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double factor in (ReadOnlySpan<double>)[1, 2, 5, 10])
        {
            if (factor * power >= value * 0.999999)
            {
                return factor * power;
            }
        }

        return 10 * power;
    }

    private sealed class LinearScale : ChartScale
    {
        private readonly double _max;
        private readonly List<(double, string)> _ticks = [];

        public LinearScale(double max, Func<double, string> label)
        {
            // About five gridlines whatever the data: the step is rounded, then the top is a whole number of steps.
            double step = NiceStep(Math.Max(max, 1) / 5);
            _max = Math.Max(step, Math.Ceiling(Math.Max(max, 1) / step - 1e-9) * step);
            for (double v = 0; v <= _max + step / 2; v += step)
            {
                _ticks.Add((v, label(v)));
            }
        }

        public override IReadOnlyList<(double Value, string Label)> Ticks => _ticks;

        public override double Map(double value) => Math.Clamp(value / _max, 0, 1);
    }

    private sealed class LogScale : ChartScale
    {
        private readonly double _low;
        private readonly double _high;
        private readonly List<(double, string)> _ticks = [];

        public LogScale(double min, double max, Func<double, string> label)
        {
            // Whole decades, so each tick is 1, 10, 100 ...: a chart spanning milliseconds to tens of seconds stays legible.
            _low = Math.Floor(Math.Log10(min > 0 ? min : 1));
            _high = Math.Max(_low + 1, Math.Ceiling(Math.Log10(max > 0 ? max : 10)));
            for (double e = _low; e <= _high; e++)
            {
                double v = Math.Pow(10, e);
                _ticks.Add((v, label(v)));
            }
        }

        public override IReadOnlyList<(double Value, string Label)> Ticks => _ticks;

        public override double Map(double value)
        {
            double e = value > 0 ? Math.Log10(value) : _low;
            return Math.Clamp((e - _low) / (_high - _low), 0, 1);
        }
    }
}
