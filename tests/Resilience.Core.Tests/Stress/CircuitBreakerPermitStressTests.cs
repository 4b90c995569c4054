using Microsoft.Extensions.Time.Testing;
using Breaker = Resilience.CircuitBreaker;

#pragma warning disable CA5394 // A seeded pseudo-random schedule makes a failure reproducible.

namespace Resilience.Tests.Stress;

/// <summary>
/// A bounded, seeded random walk over the breaker's call contract (issue 12): permits and pending <c>ExecuteAsync</c>
/// calls taken in every state, ended by successes, failures, ignored exceptions, caller cancellations and releases,
/// while the breaker is moved between closed, open, half-open and forced-open by hand, by the clock and by its trial
/// outcomes. After every step the permit accounting of the current half-open state must be exact: the trial calls it
/// granted and that did not give their permit back never exceed the permitted number, and it admits a call exactly
/// when fewer are taken.
/// </summary>
[Collection(StressTestGroup.Name)]
public class CircuitBreakerPermitStressTests
{
    private const int Steps = 3_000;

    private enum Step
    {
        Acquire,
        Complete,
        Transition,
        Advance,
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public Task Permits_RandomTransitionsIgnoredExceptionsAndCancellations_NeverMoreTrialsThanPermitted(int seed)
    {
        // On a pool thread: with no synchronization context, a completed call's continuation runs inline, so the
        // breaker has recorded it when the test's next step runs.
        return Task.Run(() => Walk(seed));
    }

    private static void Walk(int seed)
    {
        var random = new Random(seed);
        int permitted = 1 + (seed % 3);
        var time = new FakeTimeProvider();
        var options = new CircuitBreakerOptions
        {
            PermittedNumberOfCallsInHalfOpenState = permitted,
            SlidingWindowSize = 4,
            MinimumNumberOfCalls = 4,
            WaitDurationInOpenState = TimeSpan.FromSeconds(1),
        };
        options.IgnoreExceptions.Add(typeof(ArgumentException));
        var breaker = new Breaker("random", options, time);
        int epoch = 0;
        breaker.Events.StateTransition += e => epoch += e.ToState == CircuitBreakerState.HalfOpen ? 1 : 0;
        var taken = new Dictionary<int, int>(); // per half-open state: trial permits taken and not given back
        var calls = new List<Call>();
        int trialsSeen = 0, returnsSeen = 0;

        for (int step = 0; step < Steps; step++)
        {
            switch (Pick(random))
            {
                case Step.Acquire:
                    Call? call = random.Next(2) == 0 ? AcquirePermit(breaker) : StartCall(breaker);
                    if (call is not null)
                    {
                        call.Epoch = epoch;
                        call.Trial = breaker.State == CircuitBreakerState.HalfOpen;
                        trialsSeen += call.Trial ? 1 : 0;
                        taken[epoch] = taken.GetValueOrDefault(epoch) + (call.Trial ? 1 : 0);
                        calls.Add(call);
                    }

                    break;
                case Step.Complete when calls.Count > 0:
                    Call done = calls[random.Next(calls.Count)];
                    calls.Remove(done);
                    if (done.End(random.Next(5)) && done.Trial)
                    {
                        taken[done.Epoch]--;
                        returnsSeen++;
                    }

                    break;
                case Step.Transition:
                    Transition(breaker, random.Next(4), ref epoch);
                    break;
                default:
                    time.Advance(TimeSpan.FromMilliseconds(500));
                    break;
            }

            int inFlight = calls.Count(c => c.Trial && c.Epoch == epoch);
            inFlight.Should().BeLessThanOrEqualTo(permitted, "step {0}: trial calls in flight", step);
            taken.GetValueOrDefault(epoch).Should().BeInRange(0, permitted, "step {0}: trial permits taken", step);
            if (breaker.State == CircuitBreakerState.HalfOpen)
            {
                breaker.IsCallPermitted.Should().Be(taken.GetValueOrDefault(epoch) < permitted, "step {0}: a call is admitted exactly when a trial permit is left", step);
            }
        }
        trialsSeen.Should().BePositive("the walk must take trial permits");
        returnsSeen.Should().BePositive("the walk must give trial permits back");
        foreach (Call call in calls)
        {
            call.End(4);
        }
    }

    private static Step Pick(Random random) => random.Next(20) switch
    {
        < 8 => Step.Acquire,
        < 15 => Step.Complete,
        < 18 => Step.Transition,
        _ => Step.Advance,
    };

    private static void Transition(Breaker breaker, int kind, ref int epoch)
    {
        switch (kind)
        {
            case 0:
                breaker.TransitionToOpenState();
                break;
            case 1 when breaker.State != CircuitBreakerState.Closed:
                bool reentered = breaker.State == CircuitBreakerState.HalfOpen;
                breaker.TransitionToHalfOpenState();
                epoch += reentered ? 1 : 0; // a half-open state replaced by a fresh one publishes no transition
                break;
            case 2:
                breaker.TransitionToClosedState();
                break;
            case 3:
                breaker.TransitionToForcedOpenState();
                break;
        }
    }

    private static PermitCall? AcquirePermit(Breaker breaker) =>
        breaker.TryAcquirePermission(out CircuitBreakerPermit permit) ? new PermitCall(permit) : null;

    private static ExecuteCall? StartCall(Breaker breaker)
    {
        var caller = new CancellationTokenSource();

        // Continuations run synchronously: the breaker records the moment the call's task completes.
        var pending = new TaskCompletionSource<int>();
        Task<int> call = breaker.ExecuteAsync(static (p, _) => new ValueTask<int>(p.Task), pending, caller.Token).AsTask();
        if (!call.IsCompleted)
        {
            return new ExecuteCall(pending, caller, call);
        }

        call.Exception!.InnerException.Should().BeOfType<CallNotPermittedException>();
        caller.Dispose();
        return null;
    }

    private abstract class Call
    {
        public int Epoch { get; set; }

        public bool Trial { get; set; }

        /// <summary>Ends the call in one of five ways; returns whether its permit was given back.</summary>
        public abstract bool End(int how);
    }

    private sealed class PermitCall(CircuitBreakerPermit permit) : Call
    {
        public override bool End(int how)
        {
            CircuitBreakerCallOutcome outcome;
            switch (how)
            {
                case 0:
                    outcome = permit.RecordSuccess().Outcome;
                    break;
                case 1:
                    outcome = permit.RecordFailure(new InvalidOperationException("recorded")).Outcome;
                    break;
                case 2:
                    outcome = permit.RecordFailure(new ArgumentException("ignored")).Outcome;
                    break;
                case 3:
                    using (var caller = new CancellationTokenSource())
                    {
                        caller.Cancel();
                        outcome = permit.RecordFailure(new OperationCanceledException(caller.Token), caller.Token).Outcome;
                    }

                    break;
                default:
                    outcome = permit.Release().Outcome;
                    break;
            }

            return outcome is CircuitBreakerCallOutcome.Ignored or CircuitBreakerCallOutcome.Released;
        }
    }

    private sealed class ExecuteCall(TaskCompletionSource<int> pending, CancellationTokenSource caller, Task<int> call) : Call
    {
        public override bool End(int how)
        {
            bool returned = true;
            switch (how)
            {
                case 0:
                    pending.SetResult(1);
                    returned = false;
                    break;
                case 1:
                    pending.SetException(new InvalidOperationException("recorded"));
                    returned = false;
                    break;
                case 2:
                    pending.SetException(new ArgumentException("ignored"));
                    break;
                default:
                    caller.Cancel();
                    pending.SetCanceled(caller.Token);
                    break;
            }

            call.IsCompleted.Should().BeTrue("the breaker completes the call synchronously with it");
            caller.Dispose();
            return returned;
        }
    }
}
