namespace Resilience.Samples.Tests;

/// <summary>
/// The tests that run the demo's chains, one at a time and alone: each starts eight Kestrel servers (with
/// <c>--mtls</c>, TLS handshakes on every hop) and asserts latencies against the chains' one-second time limit, so
/// another test running beside them on a two-core machine can push a healthy hop past that limit.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DemoChainsGroup
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Demo chains";
}
