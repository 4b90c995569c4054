using System.Diagnostics;
using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.RoundRobin"/>: plain round robin with equal weights; weighted round robin otherwise,
/// in earliest-deadline-first order, as Envoy's scheduler (see <see cref="WeightedOrder"/>).
/// </summary>
/// <remarks>
/// <para>Each version of the set gets an immutable order of endpoint indices (one cycle) and a shared counter, started
/// at a random position so that processes do not all begin with the same endpoint. An ejected endpoint's turns are
/// skipped.</para>
/// <para>The counter is advanced with a plain read and write, not an interlocked increment: two picks racing on it may
/// share a turn, which changes no endpoint's expected share (any turn is as likely to be shared as any other), and
/// a pick costs no locked instruction. Envoy gives the same guarantee: each worker thread has its own scheduler, so the
/// order is exact per worker, not across the process. From one thread, or from calls ordered by <c>await</c>, the
/// order is exact. The counter wraps as an unsigned number, so any value it holds maps to a slot in range.</para>
/// <para>While an endpoint is in slow start the order is built from the ramped weights, rounded to whole percent, and
/// rebuilt at most once a second (Envoy refreshes its scheduler as the weights change).</para>
/// </remarks>
internal sealed class RoundRobinPolicy(SlowStart slowStart, RandomSource random, TimeProvider time) : ILoadBalancingPolicy
{
    private static readonly TimeSpan RampRefresh = TimeSpan.FromSeconds(1);

    private Table? _last;

    public string Name => LoadBalancingPolicies.RoundRobin;

    public int Pick(in LoadBalancingContext context)
    {
        RoutingSnapshot snapshot = context.Snapshot;

        // The table of the last snapshot seen, without the snapshot's table lookup: the set changes rarely.
        Table? last = Volatile.Read(ref _last);
        if (last is not null && ReferenceEquals(last.Snapshot, snapshot) && !last.IsRamping)
        {
            return last.Next(context);
        }

        if (snapshot.States.Length == 0)
        {
            return -1;
        }

        Table table = last is not null && ReferenceEquals(last.Snapshot, snapshot)
            ? last
            : snapshot.GetTable(this, static (s, owner) => ((RoundRobinPolicy)owner).Build(s, -1));
        if (table.IsRamping && time.GetElapsedTime(table.BuiltAt) >= RampRefresh)
        {
            table = (Table)snapshot.SetTable(this, table, Build(snapshot, table.Position));
        }

        if (!ReferenceEquals(last, table))
        {
            Volatile.Write(ref _last, table);
        }

        return table.Next(context);
    }

    private Table Build(RoutingSnapshot snapshot, int position)
    {
        long now = time.GetTimestamp();
        bool ramping = slowStart.IsWarming(snapshot.LatestJoin, now, time);
        int[]? order = null;
        if (!snapshot.HasEqualWeights || ramping)
        {
            var weights = new long[snapshot.Weights.Length];
            for (int i = 0; i < weights.Length; i++)
            {
                long percent = ramping ? (long)Math.Round(slowStart.Factor(snapshot.States[i].JoinedAt, now, time) * 100) : 1;
                weights[i] = snapshot.Weights[i] * Math.Max(1, percent);
            }

            order = WeightedOrder.Build(weights);
        }

        int length = order?.Length ?? snapshot.States.Length;
        return new Table(snapshot, order, length, position >= 0 ? position : random.Next(length), ramping, now);
    }

    private sealed class Table(RoutingSnapshot snapshot, int[]? order, int length, int position, bool isRamping, long builtAt)
    {
        // Lemire's fast modulo of the length (as Dictionary's): a multiplication instead of a division per pick.
        private readonly ulong _modMultiplier = length == 0 ? 0 : (ulong.MaxValue / (uint)length) + 1;
        private int _position = position;

        public RoutingSnapshot Snapshot { get; } = snapshot;

        public bool IsRamping { get; } = isRamping;

        public long BuiltAt { get; } = builtAt;

        public int Position => Volatile.Read(ref _position);

        public int Next(in LoadBalancingContext context)
        {
            // An ejected endpoint's turn is skipped, not given to its neighbour: the others keep their shares.
            int index = -1;
            for (int i = 0; i < length; i++)
            {
                // Not interlocked (see the remarks); unsigned so that wrapping past int.MaxValue keeps the slot in range.
                uint next = unchecked((uint)Volatile.Read(ref _position) + 1);
                Volatile.Write(ref _position, unchecked((int)next));
                int slot = (int)(((((_modMultiplier * next) >> 32) + 1) * (uint)length) >> 32);
                Debug.Assert(slot == (int)(next % (uint)length), "The fast modulo equals the division's remainder.");
                index = order is null ? slot : order[slot];
                if (context.IsAvailable(index))
                {
                    return index;
                }
            }

            // Other threads moved the counter meanwhile, so these turns need not have covered the cycle: scan once
            // before saying that no endpoint is available (-1 only when none is).
            return index < 0 ? -1 : context.NextAvailable(index);
        }
    }
}
