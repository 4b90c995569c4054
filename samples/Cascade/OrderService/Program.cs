// Order service (A), the front of the cascade demo: Order → Inventory → Pricing → Warehouse.
// GET /orders/{id} asks Inventory for the stock and answers with the order. When the chain cannot answer, it answers
// anyway from its fallback, marked "degraded": a degraded answer is better than an error. Run it alone with:
//   dotnet run -c Release --project samples/Cascade/OrderService
// (port 5101; Inventory is expected on 5102, see appsettings.json).
using Resilience;

await OrderService.Create(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).RunAsync();

/// <summary>Builds the Order service: <c>GET /orders/{id}</c>, calling Inventory through a resilient client.</summary>
public static class OrderService
{
    /// <summary>Builds the service; <paramref name="customize"/> runs before anything is registered (the demo uses it).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? customize = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options);
        customize?.Invoke(builder);
        builder.AddCascadeRegistration("order");
        builder.AddCascadeIdentity();
        Uri inventory = CascadeDiscovery.Downstream(builder.Configuration, "Inventory", "http://localhost:5102/");

        // <cascade-client>
        if (builder.Configuration.GetValue("Chain:Resilient", defaultValue: true))
        {
            // Time limits, retry and circuit breaker bound from Resilience:{Primitive}:Instances:inventory.
            builder.Services.AddResilientHttpClient("inventory", builder.Configuration.GetSection("Resilience"))
                .ConfigureHttpClient(client => client.BaseAddress = inventory)
                .AddCascadeResolution(builder.Configuration)
                .AddCascadeIdentity(builder.Configuration);
        }
        else
        {
            // The same client without resilience, for the demo's comparison.
            builder.Services.AddHttpClient("inventory", client => client.BaseAddress = inventory)
                .AddCascadeResolution(builder.Configuration)
                .AddCascadeIdentity(builder.Configuration);
        }
        // </cascade-client>

        WebApplication app = builder.Build();
        app.UseCascadeIdentity();
        app.MapGet("/orders/{id:int}", async (int id, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            try
            {
                using HttpResponseMessage response = await clients.CreateClient("inventory").GetAsync($"stock/{id}", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Stock? stock = await response.Content.ReadFromJsonAsync<Stock>(cancellationToken);
                    return new Order(id, stock?.Quantity, stock?.Price, Degraded: false);
                }
            }
            catch (Exception ex) when (IsDownstreamFailure(ex, cancellationToken))
            {
                // The chain could not answer: fall through to the fallback.
            }

            // Fallback: the order without stock and price, marked degraded so the caller can tell.
            return new Order(id, Quantity: null, Price: null, Degraded: true);
        });
        return app;
    }

    // Open breaker (CallNotPermittedException), time limits, network errors, and HttpClient.Timeout (a cancellation
    // nobody asked for). The caller going away is not a failure of the chain.
    private static bool IsDownstreamFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or ResilienceException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Inventory's answer.</summary>
    private sealed record Stock(int Id, int Quantity, decimal Price);

    /// <summary>Order's answer; <paramref name="Degraded"/> marks the fallback.</summary>
    private sealed record Order(int Id, int? Quantity, decimal? Price, bool Degraded);
}
