using System.Diagnostics.CodeAnalysis;

namespace Resilience;

/// <summary>
/// The permission for one call through a <see cref="CircuitBreaker"/>, from
/// <see cref="CircuitBreaker.TryAcquirePermission(out CircuitBreakerPermit)"/> or <see cref="CircuitBreaker.AcquirePermission"/>.
/// Complete it exactly once: with <see cref="RecordSuccess()"/>, <see cref="RecordFailure(Exception, CancellationToken)"/>,
/// <see cref="RecordResult{TResult}(TResult)"/> or <see cref="Release"/>.
/// </summary>
/// <remarks>
/// <para>The permit carries the breaker state that granted it and the time the call started, so a completion measures
/// the call's duration and gives a half-open trial permit back to the half-open state that granted it, and to no
/// other: a call admitted while closed that ends ignored or cancelled after the breaker moved to half-open does not
/// add a trial call. Completions record into the breaker's current state, as in Resilience4j.</para>
/// <para><b>Misuse.</b> Completing <see langword="default"/>(<see cref="CircuitBreakerPermit"/>) throws
/// <see cref="InvalidOperationException"/>. Completing a permit twice is a bug that Debug builds of the library detect
/// (they throw <see cref="InvalidOperationException"/>); Release builds do not check it, and a half-open state never
/// holds more permits than its limit whatever is given back. A permit that is never completed keeps a half-open trial
/// permit until the state is left; see <see cref="CircuitBreakerOptions.MaxWaitDurationInHalfOpenState"/>.</para>
/// <para>Copying the struct does not copy the permission: every copy is the same permit.</para>
/// </remarks>
public readonly struct CircuitBreakerPermit
{
    private readonly CircuitStateObject? _grantedBy;
    private readonly long _start;
#if DEBUG
    private readonly long _id;
#endif

    internal CircuitBreakerPermit(CircuitStateObject grantedBy, long start)
    {
        _grantedBy = grantedBy;
        _start = start;
#if DEBUG
        _id = grantedBy.Breaker.OutstandingPermits.Register();
#endif
    }

    /// <summary>Records the call as a success.</summary>
    /// <returns><see cref="CircuitBreakerCallOutcome.Success"/>, and the call's duration; above <see cref="CircuitBreakerOptions.SlowCallDurationThreshold"/> the success is slow.</returns>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    public CircuitBreakerCompletion RecordSuccess()
    {
        CircuitBreaker breaker = Complete();
        long end = breaker.Now();
        return breaker.RecordSuccessCore(breaker.Elapsed(_start, end), end);
    }

    /// <summary>Records that the call threw <paramref name="exception"/>, by the breaker's ignore and record rules.</summary>
    /// <param name="exception">The exception. An <see cref="AggregateException"/> with a single inner exception is classified by that inner exception.</param>
    /// <param name="cancellationToken">The caller's token: an <see cref="OperationCanceledException"/> while it is cancelled releases the permit and records nothing.</param>
    /// <returns>How the call counted, and its duration.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="exception"/> is <see langword="null"/>; the permit is not completed.</exception>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    /// <remarks>
    /// Ignore rules are checked first: an ignored exception is not recorded, gives its permit back and publishes
    /// <see cref="CircuitBreakerEventType.IgnoredError"/>. Then record rules: a recorded exception is a failure. Any
    /// other exception counts as a success. If a user predicate throws, the permit is released and the predicate's
    /// exception propagates.
    /// </remarks>
    public CircuitBreakerCompletion RecordFailure(Exception exception, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exception);
        CircuitBreaker breaker = Complete();
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            _grantedBy!.ReleasePermit();
            return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Released, TimeSpan.Zero);
        }

        long end = breaker.Now();
        return breaker.RecordFailureCore(_grantedBy!, breaker.Elapsed(_start, end), exception, end);
    }

    /// <summary>Records that the call returned <paramref name="result"/>: a failure if <see cref="CircuitBreakerOptions.RecordResultPredicate"/> matches it, otherwise a success.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="result">The result; <see langword="null"/> is always a success.</param>
    /// <returns>How the call counted, and its duration.</returns>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    /// <remarks>If the predicate throws, the permit is released and the predicate's exception propagates.</remarks>
    public CircuitBreakerCompletion RecordResult<TResult>(TResult result)
    {
        CircuitBreaker breaker = Complete();
        long end = breaker.Now();
        return breaker.RecordResultCore(_grantedBy!, breaker.Elapsed(_start, end), result, end);
    }

    /// <summary>Gives the permit back and records nothing: for a call that did not run, or whose outcome must not count.</summary>
    /// <returns><see cref="CircuitBreakerCallOutcome.Released"/>.</returns>
    /// <exception cref="InvalidOperationException">The permit is <see langword="default"/>, or (Debug builds) it was already completed.</exception>
    /// <remarks>Only a permit granted in half-open holds anything, a trial permit, which goes back to that half-open state if it is still current.</remarks>
    public CircuitBreakerCompletion Release()
    {
        Complete();
        _grantedBy!.ReleasePermit();
        return new CircuitBreakerCompletion(CircuitBreakerCallOutcome.Released, TimeSpan.Zero);
    }

    /// <summary>Records a success with an explicit duration (tests).</summary>
    internal CircuitBreakerCompletion RecordSuccess(TimeSpan duration)
    {
        CircuitBreaker breaker = Complete();
        return breaker.RecordSuccessCore(duration, breaker.Now());
    }

    /// <summary>Records an exception with an explicit duration (tests).</summary>
    internal CircuitBreakerCompletion RecordFailure(TimeSpan duration, Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        CircuitBreaker breaker = Complete();
        return breaker.RecordFailureCore(_grantedBy!, duration, exception, breaker.Now());
    }

    /// <summary>Records a result with an explicit duration (tests).</summary>
    internal CircuitBreakerCompletion RecordResult<TResult>(TimeSpan duration, TResult result)
    {
        CircuitBreaker breaker = Complete();
        return breaker.RecordResultCore(_grantedBy!, duration, result, breaker.Now());
    }

    /// <summary>Checks that the permit is real and (Debug builds) not yet completed, and marks it completed.</summary>
    private CircuitBreaker Complete()
    {
        CircuitStateObject? grantedBy = _grantedBy;
        if (grantedBy is null)
        {
            ThrowDefault();
        }

#if DEBUG
        grantedBy.Breaker.OutstandingPermits.Complete(_id, "circuit breaker", grantedBy.Breaker.Name, "RecordSuccess, RecordFailure, RecordResult or Release");
#endif
        return grantedBy.Breaker;
    }

    [DoesNotReturn]
    private static void ThrowDefault() =>
        throw new InvalidOperationException("This circuit breaker permit was not acquired: it is default(CircuitBreakerPermit). Acquire one with CircuitBreaker.TryAcquirePermission or CircuitBreaker.AcquirePermission.");
}
