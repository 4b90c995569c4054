using Microsoft.AspNetCore.Http;
using Resilience.Http;

namespace Resilience.AspNetCore;

/// <summary>Delays and aborts a share of incoming requests, as the unnamed <see cref="FaultInjectionOptions"/> say.</summary>
/// <remarks>
/// The options in force are read for every request (one volatile read), so a valid configuration reload takes effect
/// on the next one; an invalid reload leaves the last valid options in force. An aborted request
/// never reaches the next middleware: a status-code abort sets the status code and writes nothing else, and a dropped
/// connection is aborted with <see cref="HttpContext.Abort"/>, which the client sees as a reset. A delay ends early,
/// without a response, when the client goes away.
/// </remarks>
internal sealed class FaultInjectionMiddleware
{
    private readonly RequestDelegate _next;
    private readonly Func<FaultInjectionOptions> _options;
    private readonly TimeProvider _timeProvider;
    private readonly Func<double> _random;

    /// <summary>Creates the middleware.</summary>
    /// <param name="next">The next middleware.</param>
    /// <param name="options">Returns the options in force, already validated; called once per request.</param>
    /// <param name="timeProvider">Measures delays.</param>
    /// <param name="random">Returns uniform draws on [0, 1); <see cref="FaultDecision.SharedRandom"/> when <see langword="null"/>.</param>
    public FaultInjectionMiddleware(RequestDelegate next, Func<FaultInjectionOptions> options, TimeProvider timeProvider, Func<double>? random = null)
    {
        ArgumentNullException.ThrowIfNull(next);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _next = next;
        _options = options;
        _timeProvider = timeProvider;
        _random = random ?? FaultDecision.SharedRandom;
    }

    public Task InvokeAsync(HttpContext context)
    {
        FaultInjectionOptions options = _options();
        FaultDecision decision = FaultDecision.Make(options, _random);
        return decision.IsNone ? _next(context) : InjectAsync(context, options, decision);
    }

    private async Task InjectAsync(HttpContext context, FaultInjectionOptions options, FaultDecision decision)
    {
        if (decision.Delay > TimeSpan.Zero)
        {
            try
            {
                await Task.Delay(decision.Delay, _timeProvider, context.RequestAborted).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
            {
                return; // the client is gone: nobody is left to answer
            }
        }

        if (!decision.Abort)
        {
            await _next(context).ConfigureAwait(false);
        }
        else if (options.AbortKind == FaultAbortKind.DropConnection)
        {
            context.Abort();
        }
        else
        {
            context.Response.StatusCode = options.AbortStatusCode;
        }
    }
}
