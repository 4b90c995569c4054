// Pricing service (C) of the cascade demo: Order → Inventory → Pricing → Warehouse.
// GET /prices/{id} asks Warehouse where the item is and answers with its price; when Warehouse fails, it answers 503.
// Run it alone with:
//   dotnet run -c Release --project samples/Cascade/PricingService
// (port 5103; Warehouse is expected on 5104, see appsettings.json).
using Resilience;

await PricingService.Create(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).RunAsync();

/// <summary>Builds the Pricing service: <c>GET /prices/{id}</c>, calling Warehouse through a resilient client.</summary>
public static class PricingService
{
    /// <summary>Builds the service; <paramref name="customize"/> runs before anything is registered (the demo uses it).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? customize = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options);
        customize?.Invoke(builder);
        builder.AddCascadeRegistration("pricing");
        builder.AddCascadeIdentity();
        Uri warehouse = CascadeDiscovery.Downstream(builder.Configuration, "Warehouse", "http://localhost:5104/");

        if (builder.Configuration.GetValue("Chain:Resilient", defaultValue: true))
        {
            // Time limits, retry and circuit breaker bound from Resilience:{Primitive}:Instances:warehouse; with several
            // instances of Warehouse, each attempt goes to the one Routing:warehouse chooses.
            builder.Services.AddResilientHttpClient("warehouse", builder.Configuration.GetSection("Resilience"))
                .ConfigureHttpClient(client => client.BaseAddress = warehouse)
                .AddCascadeRouting(builder.Configuration, "warehouse")
                .AddCascadeIdentity(builder.Configuration);
        }
        else
        {
            // The same client without resilience, for the demo's comparison.
            builder.Services.AddHttpClient("warehouse", client => client.BaseAddress = warehouse)
                .AddCascadeResolution(builder.Configuration, "warehouse")
                .AddCascadeIdentity(builder.Configuration);
        }

        WebApplication app = builder.Build();
        app.UseCascadeIdentity();
        app.MapGet("/prices/{id:int}", async (int id, IHttpClientFactory clients, CancellationToken cancellationToken) =>
        {
            try
            {
                using HttpResponseMessage response = await clients.CreateClient("warehouse").GetAsync($"warehouse/{id}", cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Location? location = await response.Content.ReadFromJsonAsync<Location>(cancellationToken);
                    return Results.Ok(new Price(id, Amount: 9.5m + (location?.Aisle ?? 0)));
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

    /// <summary>Warehouse's answer.</summary>
    private sealed record Location(int Id, int Aisle);

    /// <summary>Pricing's answer.</summary>
    private sealed record Price(int Id, decimal Amount);
}
