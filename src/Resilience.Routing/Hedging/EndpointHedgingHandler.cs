namespace Resilience.Routing.Internal;

/// <summary>
/// Sits just outside the routing handler (so each attempt picks its own endpoint) and inside the resilience handlers
/// (so a retry hedges again): sends an idempotent request, and while it is pending after the delay, or at once when an
/// attempt fails, a copy of it, up to <see cref="EndpointHedgingOptions.MaxHedgedAttempts"/>. The first response that
/// is not a failure is returned; the other attempts are cancelled and their responses, if any come, disposed.
/// </summary>
/// <remarks>
/// Every attempt, the first included, sends a copy of the caller's request, which no inner handler sees: an attempt
/// still being cancelled cannot change it after its answer is returned. The copies share the request's <see cref="AttemptedEndpoints"/>, so the routing handler sends them to endpoints not
/// tried yet, under the retry budget; a hedge the budget refuses (<see cref="RetryBudgetExhaustedException"/>) only ends
/// hedging. When every attempt fails, the last failure is returned (or thrown). Other requests, and synchronous sends,
/// pass straight through.
/// </remarks>
internal sealed partial class EndpointHedgingHandler(HedgingSettings settings) : DelegatingHandler
{
    private readonly ServiceNameCache _names = new();

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        HedgedRequests.CanHedge(request) ? HedgeAsync(request, cancellationToken) : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> HedgeAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Uri logical = request.RequestUri!;
        string service = _names.Of(logical);
        LatencyWindow? window = settings.Window(service);
        TimeSpan delay = settings.DelayFor(window);
        AttemptedEndpoints.For(request);
        var pending = new List<Attempt>(2) { Start(HedgedRequests.Clone(request, logical), 0, cancellationToken) };
        int sent = 1;
        bool budgetRefused = false;
        Attempt? failed = null;
        Task? delaying = null;
        using var delayCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                // With no hedge left to send, an endless delay: the caller's cancellation still ends the wait at once.
                bool more = !budgetRefused && sent <= settings.MaxHedgedAttempts;
                delaying ??= Task.Delay(more ? delay : Timeout.InfiniteTimeSpan, settings.Time, delayCancellation.Token);
                Task done = await Task.WhenAny(Waits(pending, delaying)).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    AbandonAll(pending, failed);
                    throw new OperationCanceledException(cancellationToken);
                }

                if (ReferenceEquals(done, delaying))
                {
                    delaying = null;
                    if (more)
                    {
                        pending.Add(StartHedge(request, sent++, service, delay, cancellationToken));
                    }

                    continue;
                }

                Attempt attempt = Take(pending, done);
                if (attempt.Task.IsCompletedSuccessfully)
                {
                    window?.Record(settings.Time.GetElapsedTime(attempt.Started));
                    if (!HedgedRequests.IsFailure(attempt.Task.Result))
                    {
                        AbandonAll(pending, failed);
                        if (sent > 1)
                        {
                            settings.Telemetry.Won(service, attempt.Index);
                        }

                        return Answer(request, attempt);
                    }
                }
                else if (attempt.Index > 0 && attempt.Task.Exception?.InnerException is RetryBudgetExhaustedException)
                {
                    budgetRefused = true;
                    Release(attempt);
                    if (pending.Count == 0)
                    {
                        return Answer(request, failed!);
                    }

                    continue;
                }

                if (failed is not null)
                {
                    Release(failed);
                }

                failed = attempt;
                if (!budgetRefused && sent <= settings.MaxHedgedAttempts)
                {
                    pending.Add(StartHedge(request, sent++, service, TimeSpan.Zero, cancellationToken));
                }
                else if (pending.Count == 0)
                {
                    return Answer(request, failed);
                }
            }
        }
        finally
        {
            await delayCancellation.CancelAsync().ConfigureAwait(false);
        }
    }

    private Attempt StartHedge(HttpRequestMessage request, int index, string service, TimeSpan delay, CancellationToken cancellationToken)
    {
        settings.Telemetry.Hedged(service, index, delay);
        return Start(HedgedRequests.Clone(request, request.RequestUri!), index, cancellationToken);
    }

    private Attempt Start(HttpRequestMessage message, int index, CancellationToken cancellationToken)
    {
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        long started = settings.Time.GetTimestamp();
        Task<HttpResponseMessage> task;
        try
        {
            task = base.SendAsync(message, cancellation.Token);
        }
#pragma warning disable CA1031 // Handed back through the task, as an async method would.
        catch (Exception e)
#pragma warning restore CA1031
        {
            task = Task.FromException<HttpResponseMessage>(e);
        }

        return new Attempt(index, message, cancellation, started, task);
    }
}
