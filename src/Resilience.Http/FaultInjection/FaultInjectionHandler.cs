using System.Net;

namespace Resilience.Http;

/// <summary>Delays and aborts a share of the requests it sends, as <see cref="FaultInjectionOptions"/> say.</summary>
/// <remarks>
/// The handler is stateless: it reads the options in force for every request (validated options, kept at their last
/// valid value through an invalid reload), so it may be recreated and shared freely.
/// An aborted request never reaches the inner handler. Place it innermost (register it after the resilience handlers)
/// so that retries and circuit breakers see the injected faults as they would see real ones.
/// </remarks>
internal sealed class FaultInjectionHandler : DelegatingHandler
{
    private readonly Func<FaultInjectionOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;

    /// <summary>Creates the handler.</summary>
    /// <param name="options">Returns the options in force, already validated; called once per request.</param>
    /// <param name="timeProvider">Measures delays.</param>
    /// <param name="random">Returns uniform draws on [0, 1); <see cref="Random.Shared"/> when <see langword="null"/>.</param>
    public FaultInjectionHandler(Func<FaultInjectionOptions> options, TimeProvider timeProvider, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _options = options;
        _timeProvider = timeProvider;
        _random = random ?? FaultDecision.SharedRandom;
    }

    /// <inheritdoc/>
    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        FaultInjectionOptions options = _options();
        FaultDecision decision = FaultDecision.Make(options, _random);
        if (decision.Delay > TimeSpan.Zero)
        {
            // Blocks this thread on a TimeProvider timer. A Task rather than a wait handle: a cancelled wait cannot
            // race the timer's callback into a disposed event.
            Task.Delay(decision.Delay, _timeProvider, cancellationToken).GetAwaiter().GetResult();
        }

        return decision.Abort ? Abort(request, options) : base.Send(request, cancellationToken);
    }

    /// <inheritdoc/>
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        FaultInjectionOptions options = _options();
        FaultDecision decision = FaultDecision.Make(options, _random);
        return decision.IsNone ? base.SendAsync(request, cancellationToken) : InjectAsync(request, options, decision, cancellationToken);
    }

    private async Task<HttpResponseMessage> InjectAsync(
        HttpRequestMessage request, FaultInjectionOptions options, FaultDecision decision, CancellationToken cancellationToken)
    {
        if (decision.Delay > TimeSpan.Zero)
        {
            await Task.Delay(decision.Delay, _timeProvider, cancellationToken).ConfigureAwait(false);
        }

        return decision.Abort ? Abort(request, options) : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private static HttpResponseMessage Abort(HttpRequestMessage request, FaultInjectionOptions options)
    {
        if (options.AbortKind == FaultAbortKind.DropConnection)
        {
            throw new HttpRequestException(
                HttpRequestError.ConnectionError,
                "The connection was dropped by fault injection: this failure was injected on purpose, the request was not sent.");
        }

        return new HttpResponseMessage((HttpStatusCode)options.AbortStatusCode) { RequestMessage = request };
    }
}
