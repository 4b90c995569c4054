namespace Resilience.Discovery.Internal;

/// <summary>The defaults and ranges of the etcd registry, referenced by options, validation, docs and tests.</summary>
internal static class EtcdDiscoveryConstants
{
    public const string DefaultPrefix = "/services/";
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinimumTtl = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaximumTtl = TimeSpan.FromHours(1);

    /// <summary>The first wait before reconnecting to etcd after a failure; it doubles up to <see cref="MaximumReconnectDelay"/>.</summary>
    public static readonly TimeSpan InitialReconnectDelay = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan MaximumReconnectDelay = TimeSpan.FromSeconds(3);

    /// <summary>How long a first resolution waits for the registry before it answers with no endpoint (and a token that fires once it has them).</summary>
    public static readonly TimeSpan FirstLoadTimeout = TimeSpan.FromSeconds(5);

    /// <summary>The instance's relative weight when none is configured, and its range.</summary>
    public const int DefaultWeight = 1;
    public const int MinimumWeight = 1;
    public const int MaximumWeight = 1000;
}
