using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.Maglev"/>, Envoy's Maglev: a lookup table of a prime size (65537 by default) that
/// the endpoints fill in turns, each along its own permutation (offset and skip from two xxHash64 seeds of its
/// authority); a request goes to the entry at its key's hash modulo the size.
/// </summary>
/// <remarks>
/// <para>Weights as Envoy's weighted Maglev: in each turn an endpoint earns weight / heaviest weight of an entry and
/// takes one when it has earned a whole one. Built once per version of the set. A key keeps its endpoint while the set is
/// stable; adding or removing one of N endpoints moves somewhat more than 1/N of the keys (at most about 2/N).</para>
/// <para>An ejected endpoint's entries give way to the next entries of the table. A request without a key gets a random
/// endpoint.</para>
/// </remarks>
internal sealed class MaglevPolicy(int tableSize, HashKey key, RandomSource random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.Maglev;

    public int Pick(in LoadBalancingContext context)
    {
        RoutingSnapshot snapshot = context.Snapshot;
        if (snapshot.States.Length == 0)
        {
            return -1;
        }

        if (!key.TryGetHash(context.Request, out ulong hash))
        {
            return context.NextAvailable(random.Next(snapshot.States.Length));
        }

        int[] table = snapshot.GetTable(this, static (s, owner) => ((MaglevPolicy)owner).Build(s));
        int at = (int)(hash % (ulong)table.Length);
        for (int i = 0; i < table.Length; i++)
        {
            int slot = at + i >= table.Length ? at + i - table.Length : at + i;
            if (context.IsAvailable(table[slot]))
            {
                return table[slot];
            }
        }

        return -1;
    }

    internal int[] Build(RoutingSnapshot snapshot)
    {
        int count = snapshot.States.Length;
        int[] weights = snapshot.Weights.All(static w => w == 0) ? [.. snapshot.Weights.Select(static _ => 1)] : snapshot.Weights;
        double heaviest = weights.Max();
        var offsets = new long[count];
        var skips = new long[count];
        var next = new long[count];
        var credit = new double[count];
        for (int i = 0; i < count; i++)
        {
            string authority = snapshot.States[i].Key;
            offsets[i] = (long)(HashKey.Hash(authority, 0) % (ulong)tableSize);
            skips[i] = (long)(HashKey.Hash(authority, 1) % (ulong)(tableSize - 1)) + 1;
        }

        int[] table = new int[tableSize];
        Array.Fill(table, -1);
        int filled = 0;
        while (filled < tableSize)
        {
            for (int i = 0; i < count && filled < tableSize; i++)
            {
                credit[i] += weights[i] / heaviest;
                if (credit[i] < 1)
                {
                    continue;
                }

                credit[i] -= 1;
                long slot;
                do
                {
                    slot = (offsets[i] + (next[i]++ * skips[i])) % tableSize;
                }
                while (table[slot] >= 0);

                table[slot] = i;
                filled++;
            }
        }

        return table;
    }
}
