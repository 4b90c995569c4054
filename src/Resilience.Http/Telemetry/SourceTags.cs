namespace Resilience.Http.Telemetry;

/// <summary>
/// The tags of one <see cref="TelemetrySource"/>, built once so that a measurement passes an existing array as a
/// span instead of allocating a tag list per call.
/// </summary>
internal sealed class SourceTags
{
    private readonly KeyValuePair<string, object?>[][] _breakerOutcomes;
    private readonly KeyValuePair<string, object?>[][] _retryKinds;

    public SourceTags(string clientName, string instanceName)
    {
        Common = [new(ResilienceTelemetry.InstanceTag, instanceName), new(ResilienceTelemetry.ClientTag, clientName)];
        _breakerOutcomes =
        [
            With("outcome", "successful"),
            With("outcome", "failed"),
            With("outcome", "ignored"),
            With("outcome", "not_permitted"),
        ];
        _retryKinds =
        [
            With("kind", "successful_without_retry"),
            With("kind", "successful_with_retry"),
            With("kind", "failed_without_retry"),
            With("kind", "failed_with_retry"),
        ];
    }

    /// <summary>Gets the instance and client tags.</summary>
    public KeyValuePair<string, object?>[] Common { get; }

    /// <summary>Gets the common tags with the <c>outcome</c> of a permitted call.</summary>
    public KeyValuePair<string, object?>[] BreakerOutcome(CircuitBreakerCallOutcome outcome) => _breakerOutcomes[outcome switch
    {
        CircuitBreakerCallOutcome.Success => 0,
        CircuitBreakerCallOutcome.Failure => 1,
        _ => 2,
    }];

    /// <summary>Gets the common tags with <c>outcome</c> = <c>not_permitted</c>.</summary>
    public KeyValuePair<string, object?>[] NotPermitted => _breakerOutcomes[3];

    /// <summary>Gets the common tags with the <c>kind</c> of a call through a retry.</summary>
    public KeyValuePair<string, object?>[] RetryKind(bool succeeded, bool retried) =>
        _retryKinds[(succeeded ? 0 : 2) + (retried ? 1 : 0)];

    private KeyValuePair<string, object?>[] With(string key, string value) => [.. Common, new(key, value)];
}
