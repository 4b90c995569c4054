using Resilience.Http.Telemetry;

namespace Resilience.Http.Handlers;

/// <summary>
/// The base of the resilience handlers: stateless, because <c>IHttpClientFactory</c> rebuilds handlers every few
/// minutes. The state (breakers, permits, counters) lives in the singleton registry and is reached through a slot.
/// </summary>
internal abstract class ResilienceHandler : DelegatingHandler
{
    protected ResilienceHandler(string registrationKey, TelemetrySource source, HttpResilienceTelemetry telemetry)
    {
        RegistrationKey = registrationKey;
        Source = source;
        Telemetry = telemetry;
    }

    /// <summary>Gets the key that makes a second registration of the same handler on the same client a no-op.</summary>
    public string RegistrationKey { get; }

    /// <summary>Gets the client and instance this handler reports as.</summary>
    public TelemetrySource Source { get; }

    /// <summary>Gets the telemetry hooks.</summary>
    protected HttpResilienceTelemetry Telemetry { get; }

    /// <summary>Sends a request through this handler, from a handler of this package that routes to it.</summary>
    internal Task<HttpResponseMessage> SendThroughAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        SendAsync(request, cancellationToken);

    /// <summary>Sends a request through this handler synchronously, from a handler of this package that routes to it.</summary>
    internal HttpResponseMessage SendThrough(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Send(request, cancellationToken);

    /// <summary>Calls the inner handler and turns a synchronous throw into a faulted task, as an async method would.</summary>
    protected internal Task<HttpResponseMessage> SendInnerAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return base.SendAsync(request, cancellationToken);
        }
#pragma warning disable CA1031 // Handed back through the task.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return Task.FromException<HttpResponseMessage>(ex);
        }
    }

    /// <summary>Calls the inner handler synchronously.</summary>
    protected internal HttpResponseMessage SendInner(HttpRequestMessage request, CancellationToken cancellationToken) =>
        base.Send(request, cancellationToken);

    /// <summary>Whether <paramref name="exception"/> is the caller's own cancellation.</summary>
    protected static bool IsCallerCancellation(Exception exception, CancellationToken cancellationToken) =>
        exception is OperationCanceledException && cancellationToken.IsCancellationRequested;
}
