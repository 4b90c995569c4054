using Microsoft.Extensions.Logging;

namespace Resilience.Identity.Internal;

/// <summary>The log lines of workload identity, under the category <c>Resilience.Identity</c>.</summary>
internal static partial class IdentityLog
{
    public const string Category = "Resilience.Identity";

    [LoggerMessage(1, LogLevel.Information, "Workload identity {SpiffeId} loaded: certificate serial {Serial}, valid until {NotAfter:u}.")]
    public static partial void IdentityLoaded(ILogger logger, string spiffeId, string serial, DateTime notAfter);

    [LoggerMessage(2, LogLevel.Warning, "The workload identity files changed but do not load as a consistent set; keeping {SpiffeId} (serial {Serial}) until they do: {Errors}")]
    public static partial void ReloadFailed(ILogger logger, string spiffeId, string serial, string errors);

    [LoggerMessage(3, LogLevel.Warning, "A TLS handshake was refused: {Reason}")]
    public static partial void PeerRefused(ILogger logger, string reason);
}
