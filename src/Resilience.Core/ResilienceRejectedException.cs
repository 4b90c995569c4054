namespace Resilience;

/// <summary>
/// The base of the exceptions by which one of the library's own layers refuses or cuts short a call: a circuit breaker
/// that does not permit it (<see cref="CallNotPermittedException"/>), a full bulkhead (<see cref="BulkheadFullException"/>),
/// a rate limiter without a permit (<see cref="RequestNotPermittedException"/>) or a time limiter's time-out
/// (<see cref="TimeLimiterTimeoutException"/>).
/// </summary>
/// <remarks>
/// <para>Catch this type to handle every rejection in one place. A rejection is not a failure of the protected
/// dependency, with one exception: a time-out says that the dependency was too slow. So by default a circuit breaker
/// ignores the other layers' rejections (see <see cref="CircuitBreakerOptions.IgnoreExceptions"/>) but records a
/// <see cref="TimeLimiterTimeoutException"/> as a failure.</para>
/// <para>Tell the kinds apart by type, not by a base class such as <see cref="TimeoutException"/>: a time-out is
/// recognised as a <see cref="TimeLimiterTimeoutException"/>.</para>
/// </remarks>
public abstract class ResilienceRejectedException : ResilienceException
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceRejectedException"/> class.</summary>
    /// <param name="instanceName">The name of the primitive instance that refused the call.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    protected ResilienceRejectedException(string instanceName, string message, Exception? innerException = null)
        : base(instanceName, message, innerException)
    {
    }
}
