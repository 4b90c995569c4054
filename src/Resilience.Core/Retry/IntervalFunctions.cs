namespace Resilience;

/// <summary>
/// The backoff formulas behind <see cref="RetryBackoffType"/>, for reuse elsewhere, for example in
/// <see cref="CircuitBreakerOptions.WaitIntervalFunctionInOpenState"/> or in a <see cref="RetryOptions.IntervalFunction"/>
/// that falls back to a backoff of its own.
/// </summary>
/// <remarks>
/// <para>Attempt numbers start at 1, as in Resilience4j: attempt <c>n</c> is the <c>n</c>-th failed attempt, and the
/// result is the wait before attempt <c>n + 1</c>.</para>
/// <para>The Resilience4j formulas work in whole milliseconds: the interval is truncated to milliseconds and every
/// exponential step truncates again. Randomisation of a base of <c>b</c> ms gives
/// ⌊b − f·b + u·(2·f·b + 1)⌋ ms for u uniform in [0, 1), so about b ± f·b, and never less than 1 ms. A cap applies after randomisation. Every
/// result is clamped to about 49.7 days, the longest wait a timer accepts.</para>
/// <para><b>Argument checks, as Resilience4j's.</b> The attempt must be at least 1 (<c>apply(0)</c> throws); the
/// interval of <see cref="Exponential"/>, <see cref="Randomized(TimeSpan, double, TimeSpan?)"/> and
/// <see cref="ExponentialRandom(int, TimeSpan, double, double, TimeSpan?)"/>, and any cap,
/// must be at least 1 ms once truncated to whole milliseconds (<c>checkInterval</c>); a randomisation factor must be
/// from 0 to 1. Two checks are stricter: the multiplier must be a finite number of at least 1 (Resilience4j does not
/// check it; below 1 the waits would shrink), and an interval longer than about 49.7 days is rejected. A
/// <see cref="RetryOptions.WaitDuration"/> of zero is valid, as Resilience4j's <c>waitDuration</c> is: the retry's
/// built-in backoff then waits zero; the functions here are not called with it. <see cref="DecorrelatedJitter(int, TimeSpan, ref double, TimeSpan?)"/>,
/// Polly's formula, accepts a zero median and then gives zero.</para>
/// <para>Randomness comes from <see cref="Random.Shared"/>.</para>
/// </remarks>
public static class IntervalFunctions
{
    private static readonly Func<double> SharedRandom = Random.Shared.NextDouble;

    /// <summary>Resilience4j's exponential backoff: <paramref name="initialInterval"/> × <paramref name="multiplier"/>^(attempt − 1), truncated to whole milliseconds at every step.</summary>
    /// <param name="attempt">The attempt number, 1 or more.</param>
    /// <param name="initialInterval">The first wait, 1 ms to about 49.7 days.</param>
    /// <param name="multiplier">The growth factor, a finite number of at least 1.</param>
    /// <param name="maxInterval">The longest wait, 1 ms or more; <see langword="null"/> for no cap.</param>
    /// <returns>The wait; for (500 ms, 1.5): 500, 750, 1125, 1687, 2530 ms, …</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static TimeSpan Exponential(int attempt, TimeSpan initialInterval, double multiplier, TimeSpan? maxInterval = null)
    {
        Check(attempt, initialInterval, maxInterval);
        CheckInterval(initialInterval, nameof(initialInterval));
        CheckMultiplier(multiplier);
        return Cap(Millis(ExponentialMillis(attempt, ToMillis(initialInterval), multiplier)), maxInterval);
    }

    /// <summary>Resilience4j's randomised constant wait: <paramref name="interval"/> ± <paramref name="randomizationFactor"/>.</summary>
    /// <param name="interval">The base wait, 1 ms to about 49.7 days.</param>
    /// <param name="randomizationFactor">The spread as a fraction of the base, 0 to 1.</param>
    /// <param name="maxInterval">The longest wait, 1 ms or more; <see langword="null"/> for no cap.</param>
    /// <returns>⌊b − f·b + u·(2·f·b + 1)⌋ ms for a base of <c>b</c> ms, at least 1 ms.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static TimeSpan Randomized(TimeSpan interval, double randomizationFactor, TimeSpan? maxInterval = null)
    {
        Check(1, interval, maxInterval);
        CheckInterval(interval, nameof(interval));
        CheckFactor(randomizationFactor);
        return Randomized(interval, randomizationFactor, maxInterval, SharedRandom);
    }

    /// <summary>Resilience4j's exponential random backoff: the <see cref="Exponential"/> wait, randomised, then capped.</summary>
    /// <param name="attempt">The attempt number, 1 or more.</param>
    /// <param name="initialInterval">The first base wait, 1 ms to about 49.7 days.</param>
    /// <param name="multiplier">The growth factor, a finite number of at least 1.</param>
    /// <param name="randomizationFactor">The spread as a fraction of the base, 0 to 1.</param>
    /// <param name="maxInterval">The longest wait, 1 ms or more, applied after randomisation; <see langword="null"/> for no cap.</param>
    /// <returns>The wait.</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    public static TimeSpan ExponentialRandom(int attempt, TimeSpan initialInterval, double multiplier, double randomizationFactor, TimeSpan? maxInterval = null)
    {
        Check(attempt, initialInterval, maxInterval);
        CheckInterval(initialInterval, nameof(initialInterval));
        CheckMultiplier(multiplier);
        CheckFactor(randomizationFactor);
        return ExponentialRandom(attempt, initialInterval, multiplier, randomizationFactor, maxInterval, SharedRandom);
    }

    /// <summary>Polly v8's "decorrelated jitter backoff V2": medians near <paramref name="medianFirstInterval"/> × 1, 2, 4, 8, …</summary>
    /// <param name="attempt">The attempt number, 1 or more.</param>
    /// <param name="medianFirstInterval">The median of the first wait, 0 to about 49.7 days.</param>
    /// <param name="state">The state carried from one attempt of a call to the next: start each call at 0 and pass the same variable for every attempt.</param>
    /// <param name="maxInterval">The longest wait, 1 ms or more; <see langword="null"/> for no cap.</param>
    /// <returns>The wait, in ticks (not truncated to milliseconds).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An argument is outside its range.</exception>
    /// <remarks>Polly numbers attempts from 0; attempt <c>n</c> here is Polly's attempt <c>n − 1</c>, so the sequences match.</remarks>
    public static TimeSpan DecorrelatedJitter(int attempt, TimeSpan medianFirstInterval, ref double state, TimeSpan? maxInterval = null)
    {
        Check(attempt, medianFirstInterval, maxInterval);
        return DecorrelatedJitter(attempt, medianFirstInterval, ref state, maxInterval, SharedRandom);
    }

    internal static TimeSpan Randomized(TimeSpan interval, double randomizationFactor, TimeSpan? maxInterval, Func<double> random)
    {
        long millis = ToMillis(interval);
        return millis == 0 ? TimeSpan.Zero : Cap(Millis(Randomize(millis, randomizationFactor, random())), maxInterval);
    }

    internal static TimeSpan ExponentialRandom(int attempt, TimeSpan initialInterval, double multiplier, double randomizationFactor, TimeSpan? maxInterval, Func<double> random)
    {
        long millis = ExponentialMillis(attempt, ToMillis(initialInterval), multiplier);
        return millis == 0 ? TimeSpan.Zero : Cap(Millis(Randomize(millis, randomizationFactor, random())), maxInterval);
    }

    internal static TimeSpan DecorrelatedJitter(int attempt, TimeSpan medianFirstInterval, ref double state, TimeSpan? maxInterval, Func<double> random)
    {
        if (medianFirstInterval == TimeSpan.Zero)
        {
            return TimeSpan.Zero;
        }

        // The formula of George Polevoy, as adapted by Polly (issue App-vNext/Polly#530): a factor of 4 smooths the
        // first wait and 1/1.4 scales the medians to near whole multiples of the first wait.
        const double PFactor = 4.0;
        const double MedianScale = 1 / 1.4;
        double t = attempt - 1 + random();
        double next = Math.Pow(2, t) * Math.Tanh(Math.Sqrt(PFactor * t));
        double ticks = (next - state) * MedianScale * medianFirstInterval.Ticks;
        state = next;

        // Clamped as a double first, so that the conversion to long cannot overflow. Beyond attempt 1024 both terms
        // are infinite and their difference is NaN: the wait has long passed the clamp.
        ticks = double.IsNaN(ticks) ? RetryConstants.MaximumWait.Ticks : Math.Clamp(ticks, 0, RetryConstants.MaximumWait.Ticks);
        return Cap(TimeSpan.FromTicks((long)ticks), maxInterval);
    }

    /// <summary>The interval of Resilience4j's <c>of(initial, x → (long)(x × multiplier))</c> for <paramref name="attempt"/>, in whole milliseconds.</summary>
    /// <remarks>Each step is clamped to the longest timer wait; with a multiplier of at least 1 the sequence never decreases, so the clamp changes nothing below it.</remarks>
    internal static long ExponentialMillis(int attempt, long initialMillis, double multiplier)
    {
        long interval = initialMillis;
        for (int i = 1; i < attempt; i++)
        {
            long next = (long)Math.Min(interval * multiplier, RetryConstants.MaximumWaitMilliseconds);
            if (next == interval)
            {
                break; // a fixed point: every later step gives the same value
            }

            interval = next;
        }

        return interval;
    }

    /// <summary>Resilience4j's <c>randomize</c>: ⌊c − f·c + u·(2·f·c + 1)⌋, at least 1.</summary>
    internal static long Randomize(long current, double factor, double uniform)
    {
        double delta = factor * current;
        double value = Math.Max(1.0, current - delta + (uniform * ((2 * delta) + 1)));
        return (long)Math.Min(value, RetryConstants.MaximumWaitMilliseconds);
    }

    internal static long ToMillis(TimeSpan interval) => interval.Ticks / TimeSpan.TicksPerMillisecond;

    internal static TimeSpan Millis(long millis) => TimeSpan.FromMilliseconds(millis);

    internal static TimeSpan Cap(TimeSpan wait, TimeSpan? maxInterval) =>
        maxInterval is { } max && wait > max ? max : wait;

    private static void Check(int attempt, TimeSpan interval, TimeSpan? maxInterval)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(interval, RetryConstants.MaximumWait);
        if (maxInterval is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(max, RetryConstants.MinimumMaxWait, nameof(maxInterval));
        }
    }

    /// <summary>Resilience4j's <c>checkInterval</c>: at least 1 ms once truncated to whole milliseconds.</summary>
    private static void CheckInterval(TimeSpan interval, string name)
    {
        if (ToMillis(interval) < 1)
        {
            throw new ArgumentOutOfRangeException(name, interval, "The interval must be at least 1 ms.");
        }
    }

    private static void CheckMultiplier(double multiplier)
    {
        if (!(multiplier >= 1.0 && double.IsFinite(multiplier)))
        {
            throw new ArgumentOutOfRangeException(nameof(multiplier), multiplier, "The multiplier must be a finite number of at least 1.");
        }
    }

    private static void CheckFactor(double randomizationFactor)
    {
        if (!(randomizationFactor >= 0.0 && randomizationFactor <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(randomizationFactor), randomizationFactor, "The randomization factor must be from 0 to 1.");
        }
    }
}
