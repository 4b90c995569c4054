using System.Globalization;

namespace Resilience;

/// <summary>
/// The exception thrown when <see cref="RetryOptions.FailAfterMaxAttempts"/> is set and the last attempt of a call
/// still returned a retryable result.
/// </summary>
public sealed class MaxRetriesExceededException : ResilienceException
{
    /// <summary>Initializes a new instance of the <see cref="MaxRetriesExceededException"/> class.</summary>
    /// <param name="retryName">The name of the retry.</param>
    /// <param name="numberOfAttempts">The number of attempts the call made, the first call included.</param>
    public MaxRetriesExceededException(string retryName, int numberOfAttempts)
        : base(retryName, string.Create(CultureInfo.InvariantCulture, $"Retry '{retryName}' has exhausted all attempts ({numberOfAttempts})."))
        => NumberOfAttempts = numberOfAttempts;

    /// <summary>Gets the name of the retry that gave up.</summary>
    public string RetryName => InstanceName;

    /// <summary>Gets the number of attempts the call made, the first call included.</summary>
    /// <remarks>Fewer than <see cref="RetryOptions.MaxAttempts"/> when a <see cref="RetryOptions.IntervalFunction"/> stopped the retries early.</remarks>
    public int NumberOfAttempts { get; }
}
