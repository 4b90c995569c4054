using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Retries a failed call with the semantics of Resilience4j: a maximum number of attempts, constant, exponential,
/// randomised or decorrelated-jitter waits, exception and result predicates, and per-call metrics and events.
/// </summary>
/// <remarks>
/// <para>
/// <b>One call contract.</b> Every call, through <see cref="Execute{TState, TResult}"/>,
/// <see cref="ExecuteAsync{TState, TResult}"/> or any other front-end, is driven by a <see cref="RetryContext"/>
/// from <see cref="BeginCall"/>, which decides, counts and publishes; the convenience overloads are the extension
/// methods of <see cref="ResilienceLayerExtensions"/>.
/// </para>
/// <para>
/// <b>Concurrency.</b> A retry holds no per-call state: each call keeps its attempt number, its last exception
/// and its jitter state in its <see cref="RetryContext"/>, so concurrent calls are independent. The only shared writes are the metric
/// counters, each moved by one <see cref="Interlocked"/> operation; a call that succeeds on its first attempt takes
/// no lock, allocates nothing and writes one counter. Invariant: every finished call adds exactly one to one call
/// counter (or, if its caller cancelled it, to none) and its number of attempts, 1 to
/// <see cref="RetryOptions.MaxAttempts"/>, to the attempt total.
/// </para>
/// <para>
/// <b>Time.</b> Waits use the injected <see cref="TimeProvider"/>: <see cref="Task.Delay(TimeSpan, TimeProvider, CancellationToken)"/>
/// in the asynchronous overloads, and a blocking wait on one of its timers in the synchronous ones.
/// </para>
/// <para>
/// <b>Cancellation.</b> The asynchronous overloads do not start an attempt once the caller's token is cancelled.
/// An attempt that throws <see cref="OperationCanceledException"/> while the caller's token is cancelled is never
/// retried, and neither is a call cancelled during a wait, which ends at once with an
/// <see cref="OperationCanceledException"/> carrying the caller's token. Such a call is neither a success nor a
/// failure in <see cref="GetMetrics"/>. An <see cref="OperationCanceledException"/> from another token is an
/// ordinary exception, retried if the exception rules say so.
/// </para>
/// </remarks>
public sealed partial class Retry : IResilienceLayer
{
    private static readonly Func<double> SharedRandom = Random.Shared.NextDouble;

    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;
    private readonly int _maxAttempts;
    private readonly TimeSpan _waitDuration;
    private readonly TimeSpan _constantWait;
    private readonly RetryBackoffType _backoffType;
    private readonly double _multiplier;
    private readonly double _randomizationFactor;
    private readonly TimeSpan? _maxWaitDuration;
    private readonly Func<RetryIntervalArguments, TimeSpan?>? _intervalFunction;
    private readonly Func<Exception, bool>? _retryPredicate;
    private readonly Type[] _retryTypes;
    private readonly Type[] _ignoreTypes;
    private readonly bool _retriesEveryException;
    private readonly Func<object?, bool>? _resultPredicate;
    private readonly bool _failAfterMaxAttempts;
    private readonly Action<int, object?>? _consume;

    // The hot counter sits alone on its cache line. The attempt total is derived: first-attempt successes plus
    // the attempts of every other call, so that the success path writes one counter.
    private PaddedLong _successfulWithoutRetry;
    private long _successfulWithRetry;
    private long _failedWithoutRetry;
    private long _failedWithRetry;
    private long _attemptsOfOtherCalls;

    /// <summary>Initializes a new instance of the <see cref="Retry"/> class.</summary>
    /// <param name="name">The name of the retry, used in events and exceptions.</param>
    /// <param name="options">The options, copied and validated now; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time for the waits; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <exception cref="ArgumentException">The name is empty, or an option is invalid; the message names the option, the value and the valid range.</exception>
    public Retry(string name, RetryOptions? options = null, TimeProvider? timeProvider = null)
        : this(name, options, timeProvider, SharedRandom)
    {
    }

    /// <summary>Initializes a new instance of the <see cref="Retry"/> class with a source of randomness, for tests.</summary>
    /// <param name="name">The name of the retry.</param>
    /// <param name="options">The options; <see langword="null"/> for the defaults.</param>
    /// <param name="timeProvider">The source of time; <see langword="null"/> for <see cref="TimeProvider.System"/>.</param>
    /// <param name="random">Returns uniformly distributed numbers in [0, 1).</param>
    internal Retry(string name, RetryOptions? options, TimeProvider? timeProvider, Func<double> random)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(random);
        options ??= new RetryOptions();
        RetryOptionsValidator.Validate(options);
        Name = name;
        Events = new RetryEvents(name);
        _timeProvider = timeProvider ?? TimeProvider.System;
        _random = random;
        _maxAttempts = options.MaxAttempts;
        _waitDuration = options.WaitDuration;
        _backoffType = options.BackoffType;
        _multiplier = options.Multiplier;
        _randomizationFactor = options.RandomizationFactor;
        _maxWaitDuration = options.MaxWaitDuration;
        _constantWait = IntervalFunctions.Cap(IntervalFunctions.Millis(IntervalFunctions.ToMillis(_waitDuration)), _maxWaitDuration);
        _intervalFunction = options.IntervalFunction;
        _retryPredicate = options.RetryExceptionPredicate;
        _retryTypes = [.. options.RetryExceptions];
        _ignoreTypes = [.. options.IgnoreExceptions];
        _retriesEveryException = _retryPredicate is null && _retryTypes.Length == 0;
        _resultPredicate = options.RetryResultPredicate;
        _failAfterMaxAttempts = options.FailAfterMaxAttempts;
        _consume = options.ConsumeResultBeforeRetryAttempt;
    }

    /// <summary>Gets the name of the retry.</summary>
    public string Name { get; }

    /// <summary>Gets the events of this retry.</summary>
    public RetryEvents Events { get; }

    /// <summary>Gets the <see cref="TimeProvider"/> the retry waits with.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <summary>Gets the number of attempts a call may make, the first included.</summary>
    internal int MaxAttempts => _maxAttempts;

    /// <summary>Gets the predicate that makes a result retryable, if any.</summary>
    internal Func<object?, bool>? ResultPredicate => _resultPredicate;

    /// <summary>Gets whether a call whose last attempt returned a retryable result throws.</summary>
    internal bool FailAfterMaxAttempts => _failAfterMaxAttempts;

    /// <summary>Begins a call: the <see cref="RetryContext"/> that decides about each of its attempts.</summary>
    /// <param name="state">The call's state, handed to <see cref="RetryOptions.IntervalFunction"/> as <see cref="RetryIntervalArguments.State"/>; for example the request, so that the function can apply a rule of its own.</param>
    /// <returns>The context of the call, at its first attempt.</returns>
    /// <remarks>The clock is read here only when an <see cref="RetryOptions.IntervalFunction"/> is set, for <see cref="RetryIntervalArguments.Elapsed"/>.</remarks>
    public RetryContext BeginCall(object? state = null) => new(this, state, StartTimestamp());

    /// <summary>Reads the call's start on the clock when an interval function will need the elapsed time.</summary>
    internal long StartTimestamp() => _intervalFunction is null ? 0 : _timeProvider.GetTimestamp();

    /// <summary>Reads the counters.</summary>
    /// <returns>The snapshot; see <see cref="RetryMetrics"/> for how calls are counted.</returns>
    public RetryMetrics GetMetrics()
    {
        long withoutRetry = Volatile.Read(ref _successfulWithoutRetry.Value);
        return new RetryMetrics
        {
            NumberOfSuccessfulCallsWithoutRetryAttempt = withoutRetry,
            NumberOfSuccessfulCallsWithRetryAttempt = Volatile.Read(ref _successfulWithRetry),
            NumberOfFailedCallsWithoutRetryAttempt = Volatile.Read(ref _failedWithoutRetry),
            NumberOfFailedCallsWithRetryAttempt = Volatile.Read(ref _failedWithRetry),
            NumberOfTotalAttempts = withoutRetry + Volatile.Read(ref _attemptsOfOtherCalls),
        };
    }

    /// <summary>The built-in backoff for <paramref name="attempt"/>; <paramref name="jitterState"/> belongs to one call.</summary>
    internal TimeSpan Backoff(int attempt, ref double jitterState) => _backoffType switch
    {
        RetryBackoffType.Constant => _constantWait,
        RetryBackoffType.Exponential => IntervalFunctions.Cap(
            IntervalFunctions.Millis(IntervalFunctions.ExponentialMillis(attempt, IntervalFunctions.ToMillis(_waitDuration), _multiplier)), _maxWaitDuration),
        RetryBackoffType.ExponentialRandom => IntervalFunctions.ExponentialRandom(attempt, _waitDuration, _multiplier, _randomizationFactor, _maxWaitDuration, _random),
        RetryBackoffType.Randomized => IntervalFunctions.Randomized(_waitDuration, _randomizationFactor, _maxWaitDuration, _random),
        _ => IntervalFunctions.DecorrelatedJitter(attempt, _waitDuration, ref jitterState, _maxWaitDuration, _random),
    };

    /// <summary>Whether the ignore and retry rules retry <paramref name="exception"/>.</summary>
    internal bool IsRetryable(Exception exception)
    {
        foreach (Type type in _ignoreTypes)
        {
            if (type.IsInstanceOfType(exception))
            {
                return false;
            }
        }

        if (_retriesEveryException)
        {
            // The default rule: a rejection by one of this library's own layers is not retried at once.
            return exception is not (CallNotPermittedException or BulkheadFullException or RequestNotPermittedException);
        }

        if (_retryPredicate?.Invoke(exception) == true)
        {
            return true;
        }

        foreach (Type type in _retryTypes)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The wait before the attempt after <paramref name="attempt"/>; false when an interval function said stop.</summary>
    /// <remarks><paramref name="state"/> is boxed only here, when the interval function is called.</remarks>
    internal bool TryGetWait<TState>(int attempt, Exception? exception, object? result, TState state, long startTimestamp, ref double jitterState, out TimeSpan wait)
    {
        wait = Backoff(attempt, ref jitterState);
        if (_intervalFunction is null)
        {
            return true;
        }

        var arguments = new RetryIntervalArguments(attempt, exception, result, _timeProvider.GetElapsedTime(startTimestamp), state, wait);
        if (_intervalFunction(arguments) is { } chosen)
        {
            wait = chosen > RetryConstants.MaximumWait ? RetryConstants.MaximumWait : chosen;
            return chosen >= TimeSpan.Zero;
        }

        return true;
    }

    /// <summary>Publishes an event if anyone listens.</summary>
    internal void Publish(RetryEventType type, int attempt, TimeSpan wait, Exception? exception, object? result)
    {
        if (Events.IsSubscribed(type))
        {
            Events.Publish(new RetryEvent
            {
                EventType = type,
                RetryName = Name,
                CreationTime = _timeProvider.GetUtcNow(),
                AttemptNumber = attempt,
                WaitDuration = wait,
                Exception = exception,
                Result = result,
            });
        }
    }
}
