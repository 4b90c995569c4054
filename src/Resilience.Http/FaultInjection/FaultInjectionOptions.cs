namespace Resilience.Http;

/// <summary>
/// The settings of fault injection, in the manner of Istio and Envoy: a share of requests is delayed, a share is
/// aborted, and the two are decided independently.
/// </summary>
/// <remarks>
/// <para>
/// The options in force are read for every request, so a valid configuration reload takes effect on the next request.
/// A delayed request that is also aborted is aborted after its delay.
/// </para>
/// <para>
/// An invalid value is reported when the options are validated: at start (the DI registrations call
/// <c>ValidateOnStart</c>), which fails, or when a reload produces invalid options, which is logged at Error and
/// counted while requests go on with the last valid options. Each message names the option, the value and the valid
/// range.
/// </para>
/// </remarks>
public sealed class FaultInjectionOptions
{
    /// <summary>Gets or sets how long a delayed request waits before it goes on.</summary>
    /// <value>The default value is <see cref="TimeSpan.Zero"/>: no delay. Valid values are 0 to about 49.7 days.</value>
    /// <remarks>The wait is measured with the injected <see cref="TimeProvider"/> and ends early when the request is cancelled.</remarks>
    public TimeSpan DelayDuration { get; set; } = FaultInjectionConstants.DefaultDelayDuration;

    /// <summary>Gets or sets the share of requests that are delayed by <see cref="DelayDuration"/>, in percent.</summary>
    /// <value>The default value is 0: no request is delayed. Valid values are 0 to 100; 100 delays every request.</value>
    public double DelayPercentage { get; set; } = FaultInjectionConstants.DefaultDelayPercentage;

    /// <summary>Gets or sets the share of requests that are aborted, in percent.</summary>
    /// <value>The default value is 0: no request is aborted. Valid values are 0 to 100; 100 aborts every request.</value>
    /// <remarks>An aborted request never reaches the next handler or middleware.</remarks>
    public double AbortPercentage { get; set; } = FaultInjectionConstants.DefaultAbortPercentage;

    /// <summary>Gets or sets the status code of an aborted request when <see cref="AbortKind"/> is <see cref="FaultAbortKind.StatusCode"/>.</summary>
    /// <value>The default value is 503 (Service Unavailable). Valid values are 200 to 599.</value>
    public int AbortStatusCode { get; set; } = FaultInjectionConstants.DefaultAbortStatusCode;

    /// <summary>Gets or sets how an aborted request fails.</summary>
    /// <value>The default value is <see cref="FaultAbortKind.StatusCode"/>.</value>
    public FaultAbortKind AbortKind { get; set; } = FaultInjectionConstants.DefaultAbortKind;

    /// <summary>Gets or sets whether faults are injected at all.</summary>
    /// <value>The default value is <see langword="true"/>. When <see langword="false"/>, every request passes through untouched.</value>
    public bool Enabled { get; set; } = FaultInjectionConstants.DefaultEnabled;
}
