namespace Resilience;

/// <summary>The settings of a <see cref="Retry"/>. Every property has the default of Resilience4j.</summary>
/// <remarks>
/// A retry copies its options when it is built and validates them then: changing an options object later has no
/// effect on retries already built from it. An invalid value makes the constructor throw an
/// <see cref="ArgumentException"/> whose message names the option, the value and the valid range. Every property
/// except the delegates can be bound from configuration.
/// </remarks>
public class RetryOptions
{
    /// <summary>Gets or sets the total number of attempts, <b>counting the first call</b>.</summary>
    /// <value>The default value is 3. Valid values are 1 or more; 1 means no retry.</value>
    public int MaxAttempts { get; set; } = RetryConstants.DefaultMaxAttempts;

    /// <summary>Gets or sets the wait before a retry: the constant wait, or the first wait of a growing backoff.</summary>
    /// <value>The default value is 500 ms. Valid values are zero (retry at once) to about 49.7 days.</value>
    /// <remarks>The Resilience4j formulas use whole milliseconds, so a fraction of a millisecond is truncated.</remarks>
    public TimeSpan WaitDuration { get; set; } = RetryConstants.DefaultWaitDuration;

    /// <summary>Gets or sets how the wait grows from one retry to the next.</summary>
    /// <value>The default value is <see cref="RetryBackoffType.Constant"/>.</value>
    public RetryBackoffType BackoffType { get; set; } = RetryConstants.DefaultBackoffType;

    /// <summary>Gets or sets the factor by which an exponential wait grows with each retry.</summary>
    /// <value>The default value is 1.5. Valid values are finite numbers of at least 1.</value>
    /// <remarks>Used by <see cref="RetryBackoffType.Exponential"/> and <see cref="RetryBackoffType.ExponentialRandom"/>.</remarks>
    public double Multiplier { get; set; } = RetryConstants.DefaultMultiplier;

    /// <summary>Gets or sets how far a randomised wait may stray from its base, as a fraction of the base.</summary>
    /// <value>The default value is 0.5 (± 50 %). Valid values are 0 to 1.</value>
    /// <remarks>
    /// Used by <see cref="RetryBackoffType.Randomized"/> and <see cref="RetryBackoffType.ExponentialRandom"/>: a base of
    /// <c>b</c> ms gives ⌊b − f·b + u·(2·f·b + 1)⌋ ms for u uniform in [0, 1), so about b ± f·b, and never less than 1 ms.
    /// </remarks>
    public double RandomizationFactor { get; set; } = RetryConstants.DefaultRandomizationFactor;

    /// <summary>Gets or sets the longest wait the built-in backoff may produce.</summary>
    /// <value>The default value is <see langword="null"/>: no cap. Other valid values are 1 ms to about 49.7 days.</value>
    /// <remarks>
    /// Applied after randomisation, to every <see cref="BackoffType"/>. It does not cap a wait returned by
    /// <see cref="IntervalFunction"/>, such as a server's Retry-After hint.
    /// </remarks>
    public TimeSpan? MaxWaitDuration { get; set; }

    /// <summary>Gets or sets a function that chooses the wait from the attempt number and its outcome, for example to honour a server's Retry-After hint.</summary>
    /// <value>The default value is <see langword="null"/>: the built-in backoff decides every wait.</value>
    /// <remarks>
    /// It also sees the call's state, the time elapsed since the call started and the backoff's own choice (see
    /// <see cref="RetryIntervalArguments"/>), so it can apply rules of its own, such as a total time budget. When it is
    /// set, each call reads the clock once when it starts. It is called only when a retry would follow. It returns <see langword="null"/> to use the built-in backoff for
    /// this attempt, a wait (clamped to about 49.7 days) to use that wait as given, or a <b>negative</b> value to stop
    /// retrying now: the call then fails with the attempt's exception, or returns its result (or throws
    /// <see cref="MaxRetriesExceededException"/> when <see cref="FailAfterMaxAttempts"/> is set), as if the attempts were
    /// exhausted.
    /// </remarks>
    public Func<RetryIntervalArguments, TimeSpan?>? IntervalFunction { get; set; }

    /// <summary>Gets or sets a predicate that makes an exception retryable. It is combined with <see cref="RetryExceptions"/> by OR.</summary>
    /// <value>The default value is <see langword="null"/>.</value>
    /// <remarks>
    /// When neither this nor <see cref="RetryExceptions"/> is set, every exception that is not ignored is retried,
    /// except the rejections of this library's own layers: <see cref="CallNotPermittedException"/>,
    /// <see cref="BulkheadFullException"/> and <see cref="RequestNotPermittedException"/>. A rejection says nothing
    /// about the dependency and would only be refused again at once; a <see cref="TimeLimiterTimeoutException"/> is
    /// retried. (Resilience4j retries every exception by default.) To retry a rejection too, say so here or in
    /// <see cref="RetryExceptions"/>, for example with <c>RetryExceptionPredicate = _ =&gt; true</c>.
    /// </remarks>
    public Func<Exception, bool>? RetryExceptionPredicate { get; set; }

    /// <summary>Gets the exception types that are retried. A type matches its subclasses too.</summary>
    /// <value>The default value is empty.</value>
    /// <remarks>
    /// When this or <see cref="RetryExceptionPredicate"/> is set, an exception that matches neither is not retried, and
    /// one that matches is retried even if it is a rejection of this library's own layers.
    /// </remarks>
    public IList<Type> RetryExceptions { get; private set; } = [];

    /// <summary>Gets the exception types that are never retried, whatever the other rules say. A type matches its subclasses too.</summary>
    /// <value>The default value is empty.</value>
    public IList<Type> IgnoreExceptions { get; private set; } = [];

    /// <summary>Gets or sets a predicate that makes a returned value retryable, as if the attempt had failed.</summary>
    /// <value>The default value is <see langword="null"/>: no result is retried.</value>
    /// <remarks>
    /// The predicate sees <see langword="null"/> results too. A value-type result is boxed to be tested, so leave it
    /// unset on hot paths that do not need it. A retried result is handed to
    /// <see cref="ConsumeResultBeforeRetryAttempt"/> before the wait, which by default disposes it.
    /// </remarks>
    public Func<object?, bool>? RetryResultPredicate { get; set; }

    /// <summary>
    /// Gets or sets what is done with a retried result before the next attempt, given the number of the attempt that
    /// returned it and the result (Resilience4j's <c>consumeResultBeforeRetryAttempt</c>).
    /// </summary>
    /// <value>
    /// The default value is a function that disposes the result: with <see cref="IAsyncDisposable.DisposeAsync"/> when
    /// it is <see cref="IAsyncDisposable"/> and the retry waits asynchronously, otherwise with
    /// <see cref="IDisposable.Dispose"/> when it is <see cref="IDisposable"/>. <see langword="null"/> leaves retried
    /// results as they are.
    /// </value>
    /// <remarks>
    /// <para>It runs once per retried result, after the <see cref="RetryEvents.Retry"/> handlers and before the wait,
    /// so that the interval function and the event handlers still see the result intact (Resilience4j consumes it
    /// before choosing the wait). The caller never sees a retried result, so nothing else disposes it.</para>
    /// <para>When <see cref="FailAfterMaxAttempts"/> makes the call throw, the last result is consumed too, at once,
    /// before <see cref="MaxRetriesExceededException"/> is thrown (the default then disposes it synchronously). A last
    /// result that is returned to the caller is never consumed.</para>
    /// </remarks>
    public Action<int, object?>? ConsumeResultBeforeRetryAttempt { get; set; } = RetryConstants.DisposeResult;

    /// <summary>Gets or sets whether a call whose last attempt returned a retryable result throws instead of returning it.</summary>
    /// <value>The default value is <see langword="false"/>: the last result is returned.</value>
    /// <remarks>
    /// When <see langword="true"/>, the call throws <see cref="MaxRetriesExceededException"/> and the last result is
    /// disposed if it is disposable. It has no effect when the last attempt threw: that exception is rethrown.
    /// </remarks>
    public bool FailAfterMaxAttempts { get; set; } = RetryConstants.DefaultFailAfterMaxAttempts;

    /// <summary>Returns a deep copy: the exception type lists are copied, delegates are shared. A derived options type gets a copy of its own type.</summary>
    /// <returns>The copy.</returns>
    public RetryOptions Clone()
    {
        var copy = (RetryOptions)MemberwiseClone();
        copy.RetryExceptions = [.. RetryExceptions];
        copy.IgnoreExceptions = [.. IgnoreExceptions];
        return copy;
    }

    /// <summary>Checks every option against its valid range, as the primitive's constructor does.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names the option, the value and the valid range.</exception>
    /// <remarks>Front-ends that bind options (configuration, DI) call it to report a bad value before anything is built.</remarks>
    public void Validate() => RetryOptionsValidator.Validate(this);
}
