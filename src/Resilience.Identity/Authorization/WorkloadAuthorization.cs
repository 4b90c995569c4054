using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Resilience.DependencyInjection;

namespace Resilience.Identity;

/// <summary>
/// The compiled policies in force: compiled from the last valid <see cref="WorkloadAuthorizationOptions"/> and
/// replaced, with one volatile write, after each valid reload. An invalid reload is logged by
/// <see cref="LastGoodOptions"/> and leaves the snapshot as it was.
/// </summary>
internal sealed class WorkloadAuthorization : IDisposable
{
    private readonly IDisposable _subscription;
    private AuthorizationSnapshot _snapshot;

    /// <summary>Follows the unnamed options; throws <see cref="OptionsValidationException"/> when they were never valid.</summary>
    public WorkloadAuthorization(IServiceProvider services)
    {
        LastGoodOptionsMonitor<WorkloadAuthorizationOptions> options =
            services.GetRequiredService<LastGoodOptions>().Follow<WorkloadAuthorizationOptions>(Options.DefaultName);
        _snapshot = AuthorizationSnapshot.Compile(options.CurrentValue);
        _subscription = options.OnChange(next => Volatile.Write(ref _snapshot, AuthorizationSnapshot.Compile(next)));
    }

    /// <summary>The policies in force.</summary>
    public AuthorizationSnapshot Snapshot => Volatile.Read(ref _snapshot);

    public void Dispose() => _subscription.Dispose();
}
