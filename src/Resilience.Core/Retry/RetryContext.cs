using Resilience.Internal;

namespace Resilience;

/// <summary>
/// One call through a <see cref="Retry"/> (Resilience4j's <c>Retry.Context</c>): after each attempt it decides whether
/// to retry and how long to wait, counts the call in the retry's metrics and publishes its events. Get one from
/// <see cref="Retry.BeginCall"/>.
/// </summary>
/// <remarks>
/// <para>Every front-end of <see cref="Retry"/>, its own <c>Execute</c> methods included, drives a call this way:</para>
/// <code>
/// RetryContext call = retry.BeginCall();
/// while (true)
/// {
///     HttpResponseMessage response;
///     try { response = await SendAsync(cancellationToken); }
///     catch (Exception ex)
///     {
///         if (!call.ShouldRetry(ex, cancellationToken, out _)) { throw; }   // the call is over and counted
///         await call.WaitAsync(cancellationToken);                          // then the next attempt
///         continue;
///     }
///
///     if (!call.ShouldRetry(response, out _)) { return response; }         // success, or the attempts ran out
///     await call.WaitAsync(cancellationToken);                              // disposes the retried response, then waits
/// }
/// </code>
/// <para><b>Protocol.</b> After each attempt, exactly one of the <c>ShouldRetry</c> overloads or
/// <see cref="RecordSuccess"/>. When <c>ShouldRetry</c> returns <see langword="true"/>, <see cref="WaitAsync"/> or
/// <see cref="Wait"/> before the next attempt: it starts the wait, publishes the <see cref="RetryEvents.Retry"/> event,
/// consumes a retried result (<see cref="RetryOptions.ConsumeResultBeforeRetryAttempt"/>) and waits. When it returns
/// <see langword="false"/>, or after <see cref="RecordSuccess"/>, the call is over: it has been counted and
/// <see cref="Outcome"/> says how it ended.</para>
/// <para><b>Misuse.</b> A <see langword="default"/> context, a decision on a call that is over, a second decision
/// before the wait, and a wait without a decision to retry throw <see cref="InvalidOperationException"/>. The context is
/// a mutable struct: keep it in one variable and call its methods on that variable; a copy does not see the
/// progress of the original.</para>
/// <para><b>Cost.</b> Deciding on a success allocates nothing; a value-type result is boxed only when a
/// <see cref="RetryOptions.RetryResultPredicate"/> is set.</para>
/// </remarks>
public struct RetryContext
{
    private readonly Retry? _retry;
    private readonly object? _state;
    private readonly long _startTimestamp;
    private Exception? _lastException;
    private object? _retried;
    private double _jitterState;
    private TimeSpan _wait;
    private int _attempt;
    private bool _waiting;
    private bool _retryingResult;
    private RetryCallOutcome _outcome;

    internal RetryContext(Retry retry, object? state, long startTimestamp)
    {
        _retry = retry;
        _state = state;
        _startTimestamp = startTimestamp;
        _attempt = 1;
    }

    /// <summary>Gets the number of the current attempt, starting at 1; once the call is over, the number of attempts it made.</summary>
    public readonly int AttemptNumber => _attempt;

    /// <summary>Gets how the call ended, or <see cref="RetryCallOutcome.Pending"/> while it runs.</summary>
    /// <remarks>A call cancelled during <see cref="WaitAsync"/> ends with that method's <see cref="OperationCanceledException"/>; it is counted as cancelled, but this copy still reads <see cref="RetryCallOutcome.Pending"/>.</remarks>
    public readonly RetryCallOutcome Outcome => _outcome;

    /// <summary>Decides about an attempt that threw <paramref name="exception"/>.</summary>
    /// <param name="exception">The exception of the attempt.</param>
    /// <param name="cancellationToken">The caller's token: an <see cref="OperationCanceledException"/> while it is cancelled ends the call as cancelled.</param>
    /// <param name="wait">The wait before the next attempt, when the result is <see langword="true"/>; otherwise zero.</param>
    /// <returns><see langword="true"/> to retry after <see cref="WaitAsync"/> or <see cref="Wait"/>; <see langword="false"/> when the call is over (the caller's cancellation, an exception that is not retried, or no attempt or wait left): rethrow the exception.</returns>
    /// <exception cref="InvalidOperationException">The context is <see langword="default"/>, the call is over, or a wait is due.</exception>
    public bool ShouldRetry(Exception exception, CancellationToken cancellationToken, out TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return OnException(exception, _state, cancellationToken, out wait);
    }

    /// <summary>Decides about an attempt that returned <paramref name="result"/>.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="result">The result of the attempt.</param>
    /// <param name="wait">The wait before the next attempt, when the result is <see langword="true"/>; otherwise zero.</param>
    /// <returns><see langword="true"/> to retry after <see cref="WaitAsync"/> or <see cref="Wait"/>; <see langword="false"/> when the call is over: return the result.</returns>
    /// <exception cref="MaxRetriesExceededException">The result is retryable, no attempt or wait is left, and <see cref="RetryOptions.FailAfterMaxAttempts"/> is set; the result was consumed.</exception>
    /// <exception cref="InvalidOperationException">The context is <see langword="default"/>, the call is over, or a wait is due.</exception>
    public bool ShouldRetry<TResult>(TResult result, out TimeSpan wait) => OnResult(result, _state, out wait);

    /// <summary>Ends the call as a success: an attempt that returns nothing completed.</summary>
    /// <exception cref="InvalidOperationException">The context is <see langword="default"/>, the call is over, or a wait is due.</exception>
    public void RecordSuccess() => Succeed(Attempting());

    /// <summary>Waits before the next attempt, after <c>ShouldRetry</c> returned <see langword="true"/>, on the retry's <see cref="TimeProvider"/>.</summary>
    /// <param name="cancellationToken">The caller's token: its cancellation ends the wait, and the call, at once.</param>
    /// <returns>A task that completes when the next attempt may start.</returns>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled; the call is over, counted as cancelled.</exception>
    /// <exception cref="InvalidOperationException">The context is <see langword="default"/>, or no retry was decided.</exception>
    /// <remarks>The wait's timer exists before the <see cref="RetryEvents.Retry"/> event is published; a retried result is consumed after the event, before the wait.</remarks>
    public ValueTask WaitAsync(CancellationToken cancellationToken = default)
    {
        Retry retry = NextAttempt(out int attempt, out Exception? exception, out object? retried);
        return retry.PauseAsync(_wait, attempt, exception, retried, cancellationToken);
    }

    /// <summary>Waits before the next attempt, after <c>ShouldRetry</c> returned <see langword="true"/>, blocking the calling thread on a timer of the retry's <see cref="TimeProvider"/>.</summary>
    /// <param name="cancellationToken">The caller's token: its cancellation ends the wait, and the call, at once.</param>
    /// <exception cref="OperationCanceledException">The caller's token was cancelled; the call is over, counted as cancelled.</exception>
    /// <exception cref="InvalidOperationException">The context is <see langword="default"/>, or no retry was decided.</exception>
    public void Wait(CancellationToken cancellationToken = default)
    {
        Retry retry = NextAttempt(out int attempt, out Exception? exception, out object? retried);
        try
        {
            retry.Pause(_wait, attempt, exception, retried, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _attempt = attempt;
            _outcome = RetryCallOutcome.Cancelled;
            throw;
        }
    }

    /// <summary>The decision about an exception, with the call's state passed by the caller so that a value-type state is boxed only for the interval function.</summary>
    internal bool OnException<TState>(Exception exception, TState state, CancellationToken cancellationToken, out TimeSpan wait)
    {
        Retry retry = Attempting();
        wait = TimeSpan.Zero;
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            End(retry, RetryCallOutcome.Cancelled);
            return false;
        }

        if (!retry.IsRetryable(exception))
        {
            End(retry, RetryCallOutcome.Failed);
            retry.Publish(RetryEventType.IgnoredError, _attempt, TimeSpan.Zero, exception, null);
            return false;
        }

        if (_attempt >= retry.MaxAttempts || !retry.TryGetWait(_attempt, exception, null, state, _startTimestamp, ref _jitterState, out wait))
        {
            wait = TimeSpan.Zero;
            End(retry, RetryCallOutcome.Failed);
            retry.Publish(RetryEventType.Error, _attempt, TimeSpan.Zero, exception, null);
            return false;
        }

        _lastException = exception;
        _retryingResult = false;
        _wait = wait;
        _waiting = true;
        return true;
    }

    /// <summary>The decision about a result; see <see cref="OnException{TState}"/> for the state.</summary>
    internal bool OnResult<TResult, TState>(TResult result, TState state, out TimeSpan wait)
    {
        Retry retry = Attempting();
        wait = TimeSpan.Zero;
        object? retried;
        if (typeof(TResult) == typeof(VoidResult) || retry.ResultPredicate is not { } predicate || !predicate(retried = result))
        {
            Succeed(retry);
            return false;
        }

        if (_attempt < retry.MaxAttempts && retry.TryGetWait(_attempt, null, retried, state, _startTimestamp, ref _jitterState, out wait))
        {
            _retried = retried;
            _retryingResult = true;
            _wait = wait;
            _waiting = true;
            return true;
        }

        wait = TimeSpan.Zero;
        End(retry, RetryCallOutcome.Failed);
        retry.Publish(RetryEventType.Error, _attempt, TimeSpan.Zero, null, retried);
        if (retry.FailAfterMaxAttempts)
        {
            retry.Consume(_attempt, retried);
            throw new MaxRetriesExceededException(retry.Name, _attempt);
        }

        return false;
    }

    private void Succeed(Retry retry)
    {
        End(retry, RetryCallOutcome.Succeeded);
        if (_attempt > 1)
        {
            retry.Publish(RetryEventType.Success, _attempt, TimeSpan.Zero, _lastException, null);
        }
    }

    private void End(Retry retry, RetryCallOutcome outcome)
    {
        _outcome = outcome;
        retry.Complete(outcome, _attempt);
    }

    /// <summary>Checks that an attempt's outcome may be decided now.</summary>
    private readonly Retry Attempting()
    {
        Retry retry = _retry ?? throw NotBegun();
        if (_outcome != RetryCallOutcome.Pending || _waiting)
        {
            throw new InvalidOperationException(_waiting
                ? "A retry was decided: wait with WaitAsync or Wait before deciding about the next attempt."
                : "The call through retry '" + retry.Name + "' is over; begin a new one with Retry.BeginCall.");
        }

        return retry;
    }

    /// <summary>Checks that a wait is due, and moves the context to the next attempt; the wait's own values are returned.</summary>
    private Retry NextAttempt(out int attempt, out Exception? exception, out object? retried)
    {
        Retry retry = _retry ?? throw NotBegun();
        if (!_waiting)
        {
            throw new InvalidOperationException("No retry was decided: call ShouldRetry, and wait only when it returns true.");
        }

        attempt = _attempt;
        exception = _retryingResult ? null : _lastException;
        retried = _retried;
        _retried = null;
        _waiting = false;
        _attempt++;
        return retry;
    }

    private static InvalidOperationException NotBegun() =>
        new("This RetryContext was not begun: get one from Retry.BeginCall, not from default.");
}
