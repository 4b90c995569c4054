using Microsoft.Extensions.DependencyInjection;
using Resilience.DependencyInjection;
using Resilience.Routing.Internal;

namespace Resilience.Routing.Split;

/// <summary>
/// The traffic split of one routed client: the <see cref="CompiledSplit"/> of its last valid
/// <see cref="EndpointRoutingOptions.Split"/>, replaced with one volatile write after each valid configuration reload
/// (an invalid one is logged by <see cref="LastGoodOptions"/> and changes nothing), and the subset step of each pick.
/// </summary>
/// <remarks>Only the split follows reloads; the client's other routing options are read once, when its router is built.</remarks>
internal sealed class TrafficSplitter
{
    private readonly RandomSource _random;
    private CompiledSplit? _split;

    public TrafficSplitter(CompiledSplit? split, RandomSource random)
    {
        _split = split;
        _random = random;
    }

    /// <summary>Gets the split in force, <see langword="null"/> when none is configured.</summary>
    public CompiledSplit? Current => Volatile.Read(ref _split);

    /// <summary>The splitter of client <paramref name="name"/>, following its options through <see cref="LastGoodOptions"/>.</summary>
    public static TrafficSplitter Follow(IServiceProvider services, string name, RandomSource random)
    {
        LastGoodOptionsMonitor<EndpointRoutingOptions> options = services.GetRequiredService<LastGoodOptions>().Follow<EndpointRoutingOptions>(name);
        var splitter = new TrafficSplitter(CompiledSplit.Compile(options.CurrentValue.Split), random);
        options.OnChange(next => splitter.Replace(CompiledSplit.Compile(next.Split)));
        return splitter;
    }

    /// <summary>Puts <paramref name="split"/> in force for the next picks.</summary>
    public void Replace(CompiledSplit? split) => Volatile.Write(ref _split, split);

    /// <summary>
    /// The endpoints the policy chooses from for one attempt: <paramref name="snapshot"/> without a split, else the
    /// chosen subset's. Allocation-free once the subsets of the snapshot's version are built.
    /// </summary>
    /// <exception cref="HttpRequestException">The chosen subset has no endpoint.</exception>
    public RoutingSnapshot Select(HttpRequestMessage request, RoutingSnapshot snapshot)
    {
        CompiledSplit? split = Current;
        if (split is null)
        {
            return snapshot;
        }

        int subset = split.Choose(request, _random);
        RoutingSnapshot chosen = snapshot.GetTable(split, static (s, owner) => ((CompiledSplit)owner).Build(s))[subset];
        if (chosen.States.Length > 0)
        {
            // Ejected endpoints are the router's business: it skips them, or uses them all in panic, within this subset.
            return chosen;
        }

        throw new HttpRequestException(
            HttpRequestError.NameResolutionError,
            $"The subset '{split.SubsetName(subset)}' of the service '{snapshot.ServiceName}' has no endpoint among the {snapshot.States.Length} of the set (version {snapshot.Version}): no healthy upstream.");
    }
}
