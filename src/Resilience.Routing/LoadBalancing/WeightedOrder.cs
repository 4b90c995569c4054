namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// One cycle of weighted round robin in earliest-deadline-first order: the k-th pick of endpoint i is due at k / wᵢ,
/// picks are taken by deadline (ties by index). The weights are first divided by their greatest common divisor, so
/// that over one cycle of Σwᵢ picks each endpoint is picked exactly wᵢ times, spread out rather than in runs.
/// </summary>
internal static class WeightedOrder
{
    /// <summary>The longest cycle; heavier weights are scaled down to it (shares then rounded, each endpoint with weight at least once).</summary>
    public const int MaxLength = 1 << 16;

    public static int[] Build(long[] weights)
    {
        long divisor = 0;
        long total = 0;
        foreach (long weight in weights)
        {
            divisor = Gcd(divisor, weight);
            total += weight;
        }

        if (total == 0)
        {
            return [.. Enumerable.Range(0, weights.Length)]; // no endpoint has weight: all alike
        }

        long[] scaled = new long[weights.Length];
        total = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            scaled[i] = weights[i] / divisor;
            total += scaled[i];
        }

        if (total > MaxLength)
        {
            long before = total;
            total = 0;
            for (int i = 0; i < scaled.Length; i++)
            {
                scaled[i] = scaled[i] == 0 ? 0 : Math.Max(1, scaled[i] * MaxLength / before);
                total += scaled[i];
            }
        }

        var queue = new PriorityQueue<int, Deadline>(weights.Length);
        for (int i = 0; i < scaled.Length; i++)
        {
            if (scaled[i] > 0)
            {
                queue.Enqueue(i, new Deadline(1, scaled[i], i));
            }
        }

        int[] order = new int[total];
        for (int slot = 0; slot < order.Length; slot++)
        {
            queue.TryDequeue(out int index, out Deadline due);
            order[slot] = index;
            queue.Enqueue(index, due with { Pick = due.Pick + 1 });
        }

        return order;
    }

    private static long Gcd(long a, long b)
    {
        while (b != 0)
        {
            (a, b) = (b, a % b);
        }

        return a;
    }

    /// <summary>Pick / Weight, compared exactly by cross-multiplying (both below 2^32 at most: no overflow).</summary>
    private readonly record struct Deadline(long Pick, long Weight, int Index) : IComparable<Deadline>
    {
        public int CompareTo(Deadline other)
        {
            int byTime = (Pick * other.Weight).CompareTo(other.Pick * Weight);
            return byTime != 0 ? byTime : Index.CompareTo(other.Index);
        }
    }
}
