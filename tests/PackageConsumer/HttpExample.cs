using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Resilience;

namespace PackageConsumer;

/// <summary>Resilience4Net.Http: a resilient named HttpClient configured from the same section.</summary>
internal static class HttpExample
{
    public static void Register(IServiceCollection services, IConfiguration configuration, Uri baseAddress)
    {
        // <package-http>
        // Retry, circuit breaker, bulkhead and time limits, bound from Resilience:{Primitive}:Instances:flaky.
        services.AddResilientHttpClient("flaky", configuration.GetSection("Resilience"))
            .ConfigureHttpClient(client => client.BaseAddress = baseAddress);
        // </package-http>
    }

    public static async Task<string> GetAsync(HttpClient client)
    {
        try
        {
            using HttpResponseMessage response = await client.GetAsync(new Uri("items/1", UriKind.Relative));
            return ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (CallNotPermittedException)
        {
            return "rejected";
        }
        catch (HttpRequestException)
        {
            return "failed";
        }
    }
}
