using Microsoft.Extensions.DependencyInjection;
using Resilience;
using Resilience.Attributes;

namespace PackageConsumer;

// <package-attributes>
// The attributes name instances; their values come from Resilience:{Primitive}:Instances:{name}. The package's source
// generator writes the decorator; its analyzer checks the fallback against the method at compile time.
[CircuitBreaker("ledger", FallbackMethod = nameof(Unavailable))]
public interface ILedgerClient
{
    Task<bool> PostAsync(string entry, CancellationToken cancellationToken);

    static Task<bool> Unavailable(string entry, CallNotPermittedException exception, CancellationToken cancellationToken) =>
        Task.FromResult(false);
}
// </package-attributes>

/// <summary>Resilience4Net.Attributes: a DI service wrapped in its generated decorator.</summary>
internal static class AttributesExample
{
    public static IServiceCollection Register(IServiceCollection services)
    {
        // <package-attributes-registration>
        services.AddResilient<ILedgerClient, LedgerClient>();
        // </package-attributes-registration>
        return services;
    }
}

/// <summary>The ledger behind the interface.</summary>
internal sealed class LedgerClient : ILedgerClient
{
    public int Calls { get; private set; }

    public Task<bool> PostAsync(string entry, CancellationToken cancellationToken)
    {
        Calls++;
        return Task.FromResult(true);
    }
}
