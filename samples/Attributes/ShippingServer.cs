using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace AttributesSample;

/// <summary>
/// The shipping service, in process on a loopback port: the first quote of an item answers 503 with
/// <c>Retry-After: 1</c>, later ones 2 days; the item "lost" always answers 500.
/// </summary>
internal static class ShippingServer
{
    public static int Requests;

    public static async Task<(WebApplication App, Uri Address)> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        WebApplication app = builder.Build();
        app.Run(async context =>
        {
            int request = Interlocked.Increment(ref Requests);
            string sku = context.Request.Path.Value!.Split('/')[^1];
            if (sku == "lost" || request == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                context.Response.StatusCode = sku == "lost" ? 500 : 503;
                return;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync($$"""{"sku":"{{sku}}","days":2}""");
        });
        await app.StartAsync();
        return (app, new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()));
    }
}
