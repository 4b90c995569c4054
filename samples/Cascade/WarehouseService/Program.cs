// Warehouse service (D), the end of the cascade demo: Order → Inventory → Pricing → Warehouse.
// GET /warehouse/{id} answers where the item is. Fault injection, bound from the FaultInjection section of
// appsettings.json and re-read for every request, makes it slow, failing or down. Run it alone with:
//   dotnet run -c Release --project samples/Cascade/WarehouseService
// (port 5104); edit FaultInjection in the appsettings.json next to the executable while it runs.

await WarehouseService.Create(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory }).RunAsync();

/// <summary>Builds the Warehouse service: <c>GET /warehouse/{id}</c>, behind the fault injection middleware.</summary>
public static class WarehouseService
{
    /// <summary>Builds the service; <paramref name="customize"/> runs before anything is registered (the demo uses it).</summary>
    public static WebApplication Create(WebApplicationOptions options, Action<WebApplicationBuilder>? customize = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateBuilder(options);
        customize?.Invoke(builder);
        builder.AddCascadeRegistration("warehouse");
        builder.AddCascadeIdentity();

        // Delays and aborts a share of the requests; a configuration reload changes the faults of the running service.
        builder.Services.AddFaultInjection(builder.Configuration.GetSection("FaultInjection"));

        WebApplication app = builder.Build();
        app.UseCascadeIdentity();
        app.UseFaultInjection();
        app.MapGet("/warehouse/{id:int}", (int id) => new Location(id, Aisle: id % 12));
        return app;
    }

    /// <summary>Warehouse's answer.</summary>
    private sealed record Location(int Id, int Aisle);
}
