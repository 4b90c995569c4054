// DependencyInjection sample: AddResilience binds every primitive from appsettings.json, for code that is not an
// HttpClient. The "payment gateway" is a fake that fails every call while it is down; the named chain retries,
// opens its breaker, refuses calls at once for a second, and closes again through half-open. Run it with:
//   dotnet run -c Release --project samples/DependencyInjection
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience;
using Resilience.DependencyInjection;

// <di-registration>
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Every registry (CircuitBreakerRegistry, RetryRegistry, TimeLimiterRegistry, ...) as a singleton, bound from
// Resilience:{Primitive}:Configs and Resilience:{Primitive}:Instances; every instance is created at start.
builder.Services.AddResilience(builder.Configuration.GetSection("Resilience"));

using IHost host = builder.Build();
await host.StartAsync(); // validates every option; a bad value stops here with its configuration key
// </di-registration>

var gateway = new FakePaymentGateway();

// <di-chain>
// Retry, breaker and time limiter bound from Instances:payments, stacked in Resilience4j's order.
AsyncResilienceChain payments = host.Services.GetRequiredService<IResilienceChainProvider>().GetChain("payments");
CircuitBreaker breaker = host.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("payments");
breaker.Events.StateTransition += e => Console.WriteLine($"  breaker 'payments': {e.FromState} -> {e.ToState}");

for (int i = 1; i <= 12; i++)
{
    gateway.IsDown = i is >= 3 and <= 5;
    try
    {
        string receipt = await payments.ExecuteAsync(static (g, ct) => g.ChargeAsync(10m, ct), gateway);
        Console.WriteLine($"{i}: {receipt}");
    }
    catch (CallNotPermittedException)
    {
        Console.WriteLine($"{i}: refused by the open breaker; the gateway was not called");
    }
    catch (InvalidOperationException ex)
    {
        Console.WriteLine($"{i}: failed after retries: {ex.Message}");
    }

    await Task.Delay(250); // 12 calls over 3 seconds; the breaker's open wait is 1 s
}
// </di-chain>

await host.StopAsync();

/// <summary>A fake payment gateway that fails every call while it is down.</summary>
internal sealed class FakePaymentGateway
{
    private int _charges;

    /// <summary>Gets or sets whether the gateway is down.</summary>
    public bool IsDown { get; set; }

    /// <summary>Charges an amount and returns a receipt.</summary>
    public ValueTask<string> ChargeAsync(decimal amount, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return IsDown
            ? ValueTask.FromException<string>(new InvalidOperationException("gateway unavailable"))
            : ValueTask.FromResult($"charged {amount} (receipt {++_charges})");
    }
}
