using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resilience;

namespace PackageConsumer;

/// <summary>Resilience4Net.DependencyInjection: registries bound from configuration, for code that is not HTTP.</summary>
internal static class DependencyInjectionExample
{
    public static IServiceCollection Register(IServiceCollection services, IConfiguration configuration)
    {
        // <package-di>
        // Every primitive's registry, bound from Resilience:{Primitive}:Configs and :Instances, validated at start.
        services.AddResilience(configuration.GetSection("Resilience"));
        // </package-di>
        return services;
    }

    public static async Task<bool> PostAsync(IServiceProvider services, bool fail)
    {
        var ledger = new Ledger { Failing = fail };
        const string entry = "entry-1";
        try
        {
            // <package-di-call>
            CircuitBreaker breaker = services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("ledger");
            return await breaker.ExecuteAsync(static (s, ct) => s.ledger.PostAsync(s.entry, ct), (ledger, entry));
            // </package-di-call>
        }
        catch (InvalidOperationException)
        {
            return false; // the ledger failed, and the breaker recorded it
        }
    }
}

/// <summary>Stands in for a dependency that is not HTTP (a database, a queue).</summary>
internal sealed class Ledger
{
    public bool Failing { get; init; }

    public ValueTask<bool> PostAsync(string entry, CancellationToken cancellationToken) => Failing
        ? ValueTask.FromException<bool>(new InvalidOperationException($"the ledger refused {entry}"))
        : ValueTask.FromResult(true);
}
