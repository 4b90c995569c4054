// Inventory service (B) of the cascade demo: Order → Inventory → Pricing → Warehouse.
// GET /stock/{id} asks Pricing for the price and answers with the stock; when Pricing fails, it answers 503.
// /health reports its circuit breaker. Run it alone with:
//   dotnet run -c Release --project samples/Cascade/InventoryService
// (port 5102; Pricing is expected on 5103, see appsettings.json).
using Resilience;

await InventoryService.Create(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).RunAsync();

/// <summary>Builds the Inventory service: <c>GET /stock/{id}</c>, calling Pricing through a resilient client.</summary>
public static class InventoryService
{
    /// <summary>Builds the service; <paramref name="customize"/> runs before anything is registered (the demo uses it).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? customize = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options);
        customize?.Invoke(builder);
        builder.AddCascadeRegistration("inventory");
        builder.AddCascadeIdentity();
        Uri pricing = CascadeDiscovery.Downstream(builder.Configuration, "Pricing", "http://localhost:5103/");

        if (builder.Configuration.GetValue("Chain:Resilient", defaultValue: true))
        {
            // Time limits, retry and circuit breaker bound from Resilience:{Primitive}:Instances:pricing; with several
            // instances of Pricing, each attempt goes to the one Routing:pricing chooses.
            builder.Services.AddResilientHttpClient("pricing", builder.Configuration.GetSection("Resilience"))
                .ConfigureHttpClient(client => client.BaseAddress = pricing)
                .AddCascadeRouting(builder.Configuration, "pricing")
                .AddCascadeIdentity(builder.Configuration);
        }
        else
        {
            // The same client without resilience, for the demo's comparison.
            builder.Services.AddHttpClient("pricing", client => client.BaseAddress = pricing)
                .AddCascadeResolution(builder.Configuration, "pricing")
                .AddCascadeIdentity(builder.Configuration);
        }

        // GET /health: closed is Healthy, half-open Degraded, open Unhealthy.
        builder.Services.AddHealthChecks().AddCircuitBreakers();

        WebApplication app = builder.Build();
        app.UseCascadeIdentity();
        app.MapHealthChecks("/health");
        app.MapGet("/stock/{id:int}", async (int id, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            try
            {
                using HttpResponseMessage response = await clients.CreateClient("pricing").GetAsync($"prices/{id}", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Price? price = await response.Content.ReadFromJsonAsync<Price>(cancellationToken);
                    return Results.Ok(new Stock(id, Quantity: 7 + (id % 5), price?.Amount ?? 0));
                }
            }
            catch (Exception ex) when (IsDownstreamFailure(ex, cancellationToken))
            {
                // Only Order has a fallback; here a failure below is reported as such.
            }

            return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        return app;
    }

    // Open breaker, time limits, network errors, and HttpClient.Timeout; the caller going away is not one.
    private static bool IsDownstreamFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or ResilienceException or TimeoutException
        || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>Pricing's answer.</summary>
    private sealed record Price(int Id, decimal Amount);

    /// <summary>Inventory's answer.</summary>
    private sealed record Stock(int Id, int Quantity, decimal Price);
}
