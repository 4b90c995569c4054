namespace Resilience;

/// <summary>The defaults and limits of <see cref="CircuitBreakerOptions"/>, shared by options, validation, docs and tests.</summary>
internal static class CircuitBreakerConstants
{
    public const float DefaultFailureRateThreshold = 50f;
    public const float DefaultSlowCallRateThreshold = 100f;
    public const int DefaultPermittedNumberOfCallsInHalfOpenState = 10;
    public const int DefaultSlidingWindowSize = 100;
    public const int DefaultMinimumNumberOfCalls = 100;
    public const SlidingWindowType DefaultSlidingWindowType = SlidingWindowType.CountBased;
    public const CircuitBreakerState DefaultInitialState = CircuitBreakerState.Closed;
    public const CircuitBreakerState DefaultTransitionToStateAfterWaitDuration = CircuitBreakerState.Open;
    public const bool DefaultAutomaticTransitionFromOpenToHalfOpenEnabled = false;

    public static readonly TimeSpan DefaultSlowCallDurationThreshold = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultWaitDurationInOpenState = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan DefaultMaxWaitDurationInHalfOpenState = TimeSpan.Zero;

    /// <summary>
    /// The exceptions ignored by default: the rejections of the library's other layers, which say nothing about the
    /// dependency's health (a deviation from Resilience4j, which records them). A time-out is not among them.
    /// </summary>
    public static Type[] DefaultIgnoreExceptions => [typeof(CallNotPermittedException), typeof(BulkheadFullException), typeof(RequestNotPermittedException)];

    /// <summary>The shortest wait a timer can be asked for.</summary>
    public static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(1);

    /// <summary>The longest wait a <see cref="TimeProvider"/> timer accepts (2^32 − 2 ms, about 49.7 days).</summary>
    public static readonly TimeSpan MaximumWait = TimeSpan.FromMilliseconds(uint.MaxValue - 1);

    /// <summary>Below this slow-call threshold, call durations are measured with the precise clock.</summary>
    public static readonly TimeSpan CoarseClockThreshold = TimeSpan.FromSeconds(1);
}
