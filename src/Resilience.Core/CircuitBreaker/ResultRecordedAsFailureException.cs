using System.Globalization;

namespace Resilience;

/// <summary>
/// Carried by the <see cref="CircuitBreakerEventType.Error"/> event when a returned value matched
/// <see cref="CircuitBreakerOptions.RecordResultPredicate"/>. It is never thrown to the caller, who gets the value.
/// </summary>
public sealed class ResultRecordedAsFailureException : ResilienceException
{
    /// <summary>Initializes a new instance of the <see cref="ResultRecordedAsFailureException"/> class.</summary>
    /// <param name="circuitBreakerName">The name of the breaker.</param>
    /// <param name="result">The value recorded as a failure.</param>
    public ResultRecordedAsFailureException(string circuitBreakerName, object? result)
        : base(circuitBreakerName, string.Create(CultureInfo.InvariantCulture, $"Circuit breaker '{circuitBreakerName}' has recorded '{result}' as a failure.")) => Result = result;

    /// <summary>Gets the value that was recorded as a failure.</summary>
    public object? Result { get; }
}
