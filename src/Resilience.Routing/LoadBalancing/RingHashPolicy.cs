using Resilience.Routing.Internal;

namespace Resilience.Routing.LoadBalancing;

/// <summary>
/// <see cref="LoadBalancingPolicies.RingHash"/>, Envoy's ring hash: each endpoint is hashed onto a ring of 64-bit points
/// (<c>authority_k</c>, xxHash64) as many times as its share of the weight asks for, and a request goes to the first
/// point at or after its key's hash.
/// </summary>
/// <remarks>
/// <para>Ring size as Envoy: large enough that the lightest endpoint gets <c>minimumRingSize × its share</c> points
/// (at least 1), capped at <c>maximumRingSize</c>. Built once per version of the set. A key keeps its endpoint while the
/// set is stable; adding or removing one of N endpoints moves about 1/N of the keys.</para>
/// <para>An ejected endpoint's points give way to the next points on the ring. A request without a key gets a random
/// endpoint (Envoy's behaviour without a hash).</para>
/// </remarks>
internal sealed class RingHashPolicy(int minimumRingSize, int maximumRingSize, HashKey key, RandomSource random) : ILoadBalancingPolicy
{
    public string Name => LoadBalancingPolicies.RingHash;

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

        Ring ring = snapshot.GetTable(this, static (s, owner) => ((RingHashPolicy)owner).Build(s));
        if (ring.Hashes.Length == 0)
        {
            return -1;
        }

        int at = Array.BinarySearch(ring.Hashes, hash);
        at = at >= 0 ? at : ~at;
        for (int i = 0; i < ring.Hashes.Length; i++)
        {
            int slot = (at + i) % ring.Hashes.Length;
            int index = ring.Owners[slot];
            if (context.IsAvailable(index))
            {
                return index;
            }
        }

        return -1;
    }

    internal Ring Build(RoutingSnapshot snapshot)
    {
        int[] weights = snapshot.Weights;
        double total = weights.Sum(static w => (double)w);
        if (total == 0)
        {
            weights = [.. weights.Select(static _ => 1)];
            total = weights.Length;
        }

        double minShare = weights.Where(static w => w > 0).Min() / total;
        double scale = Math.Min(Math.Ceiling(minShare * minimumRingSize) / minShare, maximumRingSize);
        var hashes = new List<ulong>((int)Math.Min(scale + weights.Length, maximumRingSize + weights.Length));
        var owners = new List<int>(hashes.Capacity);
        double target = 0;
        int current = 0;
        for (int i = 0; i < weights.Length; i++)
        {
            target += scale * weights[i] / total;
            string authority = snapshot.States[i].Key;
            for (int k = 0; current < target; k++, current++)
            {
                hashes.Add(HashKey.Hash(authority + "_" + k.ToString(System.Globalization.CultureInfo.InvariantCulture), 0));
                owners.Add(i);
            }
        }

        ulong[] sortedHashes = [.. hashes];
        int[] sortedOwners = [.. owners];
        Array.Sort(sortedHashes, sortedOwners);
        return new Ring(sortedHashes, sortedOwners);
    }

    internal sealed record Ring(ulong[] Hashes, int[] Owners);
}
