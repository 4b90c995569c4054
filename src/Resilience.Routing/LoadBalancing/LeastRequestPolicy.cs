using System.Diagnostics;
using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.LeastRequest"/>, Envoy's least request.
/// </summary>
/// <remarks>
/// <para><b>Equal weights</b>: <c>choiceCount</c> <i>distinct</i> random available endpoints (YARP's choice; Envoy draws
/// with replacement, which is why its docs say that with two hosts the busier one is picked 25 % of the time: here it
/// never is), and the one with the fewest active requests; a tie goes to the first drawn. A draw that lands on an
/// ejected endpoint moves on to the next available one. With two choices (the default) and both draws available, the
/// pair is drawn uniformly among distinct pairs in two calls to the random source, without a scan. With as many choices as endpoints it is a full scan from a random start.</para>
/// <para><b>Unequal weights</b>, or while an endpoint is in slow start: each available endpoint gets
/// <c>weight × slowStartFactor / (active + 1)^activeRequestBias</c> and one is drawn at random in proportion to it
/// (Envoy schedules the same weights with an earliest-deadline-first queue, which needs a lock; the expected shares are
/// the same). O(endpoints).</para>
/// </remarks>
internal sealed class LeastRequestPolicy(int choiceCount, double activeRequestBias, SlowStart slowStart, RandomSource random, TimeProvider time)
    : ILoadBalancingPolicy
{
    /// <summary>The most choices drawn on the stack.</summary>
    public const int MaxChoiceCount = 64;

    public string Name => LoadBalancingPolicies.LeastRequest;

    // Envoy's default without slow start: the two-choices draw for a set with equal weights needs no clock.
    private readonly bool _twoChoicesWithoutRamp = choiceCount == 2 && !slowStart.IsEnabled;

    public int Pick(in LoadBalancingContext context)
    {
        RoutingSnapshot snapshot = context.Snapshot;
        EndpointState[] states = snapshot.States;
        int count = states.Length;
        if (_twoChoicesWithoutRamp && count > 2 && snapshot.HasEqualWeights)
        {
            // Two distinct uniform draws from one random number: the first from its low 32 bits, the second, shifted
            // past the first, from its next 31 (multiply-shift, whose bias is below count / 2^31, negligible).
            ulong draw = random.NextBits63();
            int first = (int)(((draw & uint.MaxValue) * (ulong)count) >> 32);
            int second = (int)(((draw >> 32) * (ulong)(count - 1)) >> 31);
            second += second >= first ? 1 : 0;
            Debug.Assert(first != second && (uint)first < (uint)count && (uint)second < (uint)count, "Two distinct endpoints are drawn.");
            if (context.IsAvailable(first) && context.IsAvailable(second))
            {
                return states[second].ActiveRequests < states[first].ActiveRequests ? second : first;
            }

            return PickChoices(context, snapshot); // one of them is ejected: draw among the available ones
        }

        if (count <= 1)
        {
            return count == 0 ? -1 : context.NextAvailable(0);
        }

        long now = slowStart.IsEnabled ? time.GetTimestamp() : 0;
        bool warming = slowStart.IsWarming(snapshot.LatestJoin, now, time);
        return snapshot.HasEqualWeights && !warming ? PickChoices(context, snapshot) : PickWeighted(context, snapshot, warming, now);
    }

    private int PickChoices(in LoadBalancingContext context, RoutingSnapshot snapshot)
    {
        EndpointState[] states = snapshot.States;
        int count = states.Length;
        if (choiceCount >= count)
        {
            return FewestActive(context, states, random.Next(count));
        }

        if (choiceCount == 2)
        {
            // Envoy's default: two distinct uniform draws in two calls, the second shifted past the first.
            int first = random.Next(count);
            int second = random.Next(count - 1);
            second += second >= first ? 1 : 0;
            Debug.Assert(first != second && (uint)second < (uint)count, "Two distinct endpoints are drawn.");
            if (context.IsAvailable(first) && context.IsAvailable(second))
            {
                return states[second].ActiveRequests < states[first].ActiveRequests ? second : first;
            }
        }

        Span<int> drawn = stackalloc int[choiceCount];
        int best = -1;
        int bestActive = int.MaxValue;
        int drawnCount = 0;
        for (int c = 0; c < choiceCount; c++)
        {
            // A distinct draw: the first candidate not drawn before, from a random start; ejected ones are skipped.
            int start = random.Next(count);
            int candidate = -1;
            for (int i = 0; i < count && candidate < 0; i++)
            {
                int index = start + i >= count ? start + i - count : start + i;
                if (context.IsAvailable(index) && !drawn[..drawnCount].Contains(index))
                {
                    candidate = index;
                }
            }

            if (candidate < 0)
            {
                break; // fewer available endpoints than choices
            }

            drawn[drawnCount++] = candidate;
            int active = states[candidate].ActiveRequests;
            if (active < bestActive)
            {
                best = candidate;
                bestActive = active;
            }
        }

        return best;
    }

    /// <summary>A full scan from a random start, so that ties do not always go to the same endpoint.</summary>
    private static int FewestActive(in LoadBalancingContext context, EndpointState[] states, int start)
    {
        int best = -1;
        int bestActive = int.MaxValue;
        for (int n = 0; n < states.Length; n++)
        {
            int i = start + n >= states.Length ? start + n - states.Length : start + n;
            int active = states[i].ActiveRequests;
            if (context.IsAvailable(i) && active < bestActive)
            {
                best = i;
                bestActive = active;
            }
        }

        return best;
    }

    private int PickWeighted(in LoadBalancingContext context, RoutingSnapshot snapshot, bool warming, long now)
    {
        EndpointState[] states = snapshot.States;
        double total = 0;
        for (int i = 0; i < states.Length; i++)
        {
            total += Weight(context, snapshot, i, warming, now);
        }

        if (total <= 0)
        {
            return -1;
        }

        double point = random.NextDouble() * total;
        int last = -1;
        for (int i = 0; i < states.Length; i++)
        {
            double weight = Weight(context, snapshot, i, warming, now);
            if (weight > 0)
            {
                last = i;
                point -= weight;
                if (point < 0)
                {
                    return i;
                }
            }
        }

        return last; // rounding left a remainder: the last endpoint with weight
    }

    /// <summary>Envoy's <c>weight / (active + 1)^bias</c>, with the slow-start factor; 0 for an endpoint not available.</summary>
    private double Weight(in LoadBalancingContext context, RoutingSnapshot snapshot, int index, bool warming, long now)
    {
        if (!context.IsAvailable(index))
        {
            return 0;
        }

        EndpointState state = snapshot.States[index];

        double weight = snapshot.Weights[index];
        if (warming)
        {
            weight *= slowStart.Factor(state.JoinedAt, now, time);
        }

        double active = state.ActiveRequests + 1.0;
        return activeRequestBias switch
        {
            0.0 => weight,
            1.0 => weight / active,
            _ => weight / Math.Pow(active, activeRequestBias),
        };
    }
}
