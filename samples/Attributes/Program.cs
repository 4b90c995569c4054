// Attributes sample: Resilience4j's annotations on a DI service, checked at compile time. The source generator writes
// IInventoryServiceResilienceDecorator (see obj/ with EmitCompilerGeneratedFiles, or docs/attributes.md); the
// inventory goes down for a while, the retry and the breaker react, and the breaker's fallback answers at once while
// it is open. Run it with:
//   dotnet run -c Release --project samples/Attributes
using AttributesSample;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience;

// <attributes-registration>
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Services.AddResilience(builder.Configuration.GetSection("Resilience"));
builder.Services.AddResilient<IInventoryService, FakeInventoryService>(ServiceLifetime.Singleton);

using IHost host = builder.Build();
await host.StartAsync();
IInventoryService inventory = host.Services.GetRequiredService<IInventoryService>();
// </attributes-registration>

CircuitBreaker breaker = host.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory");
breaker.Events.StateTransition += e => Console.WriteLine($"  breaker 'inventory': {e.FromState} -> {e.ToState}");
for (int i = 1; i <= 12; i++)
{
    FakeInventoryService.IsDown = i is >= 3 and <= 4;
    try
    {
        int stock = await inventory.GetStockAsync("sku-42", CancellationToken.None);
        Console.WriteLine(stock < 0 ? $"{i}: stock unknown (the breaker is open; the fallback answered)" : $"{i}: {stock} in stock");
    }
    catch (HttpRequestException ex)
    {
        Console.WriteLine($"{i}: failed after the retry: {ex.Message}");
    }

    await Task.Delay(250); // 12 calls over 3 seconds; the breaker's open wait is 1 s
}

Console.WriteLine($"calls that reached the inventory: {FakeInventoryService.Calls}");
await host.StopAsync();
