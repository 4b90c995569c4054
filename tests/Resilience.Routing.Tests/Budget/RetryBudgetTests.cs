using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Time.Testing;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Tests.Budget;

public sealed class RetryBudgetTests : IDisposable
{
    private readonly FakeTimeProvider _time = new();
    private readonly RetryBudgetTelemetry _telemetry = new();
    private readonly string _service = "svc-" + Guid.NewGuid().ToString("N");

    public void Dispose() => _telemetry.Dispose();

    [Theory]
    [InlineData(25, 20, 3, 5)]
    [InlineData(2, 20, 3, 3)]
    [InlineData(0, 20, 3, 3)]
    [InlineData(16, 20, 3, 3)]
    [InlineData(20, 20, 3, 4)]
    [InlineData(100, 20, 3, 20)]
    [InlineData(10, 50, 0, 5)]
    [InlineData(10, 0, 0, 0)]
    public void MaxRetries_ActiveRequests_FollowsEnvoysFormula(int active, double percent, int minimum, long expected)
    {
        RetryBudget budget = Create(new RetryBudgetOptions { BudgetPercent = percent, MinRetryConcurrency = minimum });
        Start(budget, active);

        budget.MaxRetries.Should().Be(expected);
    }

    [Fact]
    public void TryStartRetry_AtBound_RefusesUntilARetryEnds()
    {
        RetryBudget budget = Create(new RetryBudgetOptions());
        Start(budget, 25);

        Enumerable.Range(0, 5).Select(_ => budget.TryStartRetry()).ToList().Should().AllSatisfy(admitted => admitted.Should().BeTrue());
        budget.TryStartRetry().Should().BeFalse();
        budget.RetryEnded();

        budget.TryStartRetry().Should().BeTrue();
        budget.ActiveRetries.Should().Be(5);
    }

    [Fact]
    public void TryStartRetry_RequestsEnd_BoundShrinksToMinimum()
    {
        RetryBudget budget = Create(new RetryBudgetOptions());
        Start(budget, 25);
        for (int i = 0; i < 23; i++)
        {
            budget.RequestEnded();
        }

        Enumerable.Range(0, 4).Count(_ => budget.TryStartRetry()).Should().Be(3);
        budget.ActiveRequests.Should().Be(2);
    }

    [Fact]
    public void TryStartRetry_Refused_CountsMetricLogsAndTagsActivity()
    {
        RetryBudget budget = Create(new RetryBudgetOptions { MinRetryConcurrency = 0 });
        long refused = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == OutlierTelemetry.MeterName && instrument.Name == "resilience.routing.retry_budget.exhausted")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (KeyValuePair<string, object?> tag in tags)
            {
                if (tag.Key == "service" && Equals(tag.Value, _service))
                {
                    Interlocked.Add(ref refused, value);
                }
            }
        });
        listener.Start();
        using var activity = new Activity("request").Start();

        budget.TryStartRetry().Should().BeFalse();

        Interlocked.Read(ref refused).Should().Be(1);
        activity.GetTagItem(RetryBudgetTelemetry.OutcomeTag).Should().Be("retry_budget_exhausted");
        activity.Events.Select(e => e.Name).Should().Contain("retry_budget_exhausted");
    }

    [Fact]
    public void TryStartRetry_EightThreads_NeverExceedsTheBound()
    {
        RetryBudget budget = Create(new RetryBudgetOptions());
        Start(budget, 25);
        long inFlight = 0;
        long highest = 0;
        long admitted = 0;

        Parallel.For(0, 8, new ParallelOptions { MaxDegreeOfParallelism = 8 }, _ =>
        {
            for (int i = 0; i < 20_000; i++)
            {
                if (!budget.TryStartRetry())
                {
                    continue;
                }

                long now = Interlocked.Increment(ref inFlight);
                long seen = Interlocked.Read(ref highest);
                while (now > seen && Interlocked.CompareExchange(ref highest, now, seen) != seen)
                {
                    seen = Interlocked.Read(ref highest);
                }

                Interlocked.Increment(ref admitted);
                Thread.SpinWait(20);
                Interlocked.Decrement(ref inFlight);
                budget.RetryEnded();
            }
        });

        highest.Should().BeLessThanOrEqualTo(5).And.BeGreaterThan(0);
        admitted.Should().BeGreaterThan(0);
        budget.ActiveRetries.Should().Be(0);
    }

    [Fact]
    public void MaxRetries_WithInterval_CountsRequestsStartedInTheWindow()
    {
        RetryBudget budget = Create(new RetryBudgetOptions { Interval = TimeSpan.FromSeconds(10) });
        Start(budget, 25);
        for (int i = 0; i < 25; i++)
        {
            budget.RequestEnded();
        }

        budget.MaxRetries.Should().Be(5, "25 requests started in the window, though none is in flight");
        _time.Advance(TimeSpan.FromSeconds(9.999));
        budget.MaxRetries.Should().Be(5);
        Start(budget, 15);
        budget.MaxRetries.Should().Be(8);

        _time.Advance(TimeSpan.FromMilliseconds(1));
        budget.MaxRetries.Should().Be(3, "the first 25 requests have left the window, the 15 later ones give 3");
        _time.Advance(TimeSpan.FromSeconds(10));
        budget.MaxRetries.Should().Be(3);
        budget.ActiveRequests.Should().Be(15);
    }

    [Fact]
    public void MaxRetries_WithIntervalAfterLongIdle_DoesNotCountStaleSlots()
    {
        RetryBudget budget = Create(new RetryBudgetOptions { Interval = TimeSpan.FromSeconds(1), MinRetryConcurrency = 0, BudgetPercent = 100 });
        Start(budget, 7);

        _time.Advance(TimeSpan.FromSeconds(3600));
        Start(budget, 2);

        budget.MaxRetries.Should().Be(2);
    }

    [Fact]
    public void RequestAndRetry_SteadyState_AllocateNothing()
    {
        RetryBudget budget = Create(new RetryBudgetOptions { Interval = TimeSpan.FromSeconds(10) });
        RunCycle(budget);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1000; i++)
        {
            RunCycle(budget);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static void RunCycle(RetryBudget budget)
    {
        budget.RequestStarted();
        if (budget.TryStartRetry())
        {
            budget.RetryEnded();
        }

        budget.RequestEnded();
    }

    private static void Start(RetryBudget budget, int requests)
    {
        for (int i = 0; i < requests; i++)
        {
            budget.RequestStarted();
        }
    }

    private RetryBudget Create(RetryBudgetOptions options) => new(_service, options, _time, _telemetry);
}
