// HttpClient sample: a resilient named client registered in one call and configured from appsettings.json.
//
// The "inventory service" is an in-memory handler that fails every third request with 503 and a Retry-After hint,
// and then goes down for 1.5 seconds. The standard composition retries the 503s (GET is idempotent), honours the
// hint, opens the breaker while the service is down, fails fast for a second, and closes again through half-open. Run it with:
//   dotnet run -c Release --project samples/HttpClient
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Resilience;

// <http-registration>
// appsettings.json is read next to the executable, so the sample works from any directory.
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });

// Total time limit, retry, circuit breaker, bulkhead and per-attempt time limit, each bound from
// Resilience:{Primitive}:Instances:inventory (and inventory-total for the total limit) in appsettings.json.
builder.Services.AddResilientHttpClient("inventory", builder.Configuration.GetSection("Resilience"))
    .ConfigureHttpClient(client => client.BaseAddress = new Uri("http://inventory.local/"))
    .ConfigurePrimaryHttpMessageHandler(() => new FakeInventoryService()); // stands in for the network

using IHost host = builder.Build();
await host.StartAsync(); // validates every option; a bad value stops here with its configuration key
// </http-registration>

// <http-call>
HttpClient inventory = host.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
for (int i = 1; i <= 40; i++)
{
    try
    {
        using HttpResponseMessage response = await inventory.GetAsync($"items/{i}");
        Console.WriteLine($"{i,2}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
    catch (CallNotPermittedException)
    {
        Console.WriteLine($"{i,2}: rejected by the open breaker, the service was not called");
    }
    catch (HttpRequestException ex)
    {
        Console.WriteLine($"{i,2}: failed after retries: {ex.Message}");
    }

    await Task.Delay(100); // 40 requests over about 4 seconds
}
// </http-call>

// <http-registry>
// The client's breaker lives in the CircuitBreakerRegistry under the client's name, and the client's requests go
// through that instance: read its state, subscribe to its events, or force it open or closed as an operator would.
CircuitBreaker breaker = host.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("inventory");
breaker.Events.StateTransition += e => Console.WriteLine($"breaker 'inventory': {e.FromState} -> {e.ToState}");
breaker.TransitionToForcedOpenState();
try
{
    using HttpResponseMessage response = await inventory.GetAsync("items/41");
}
catch (CallNotPermittedException)
{
    Console.WriteLine("41: refused while the breaker is forced open; the service was not called");
}

breaker.TransitionToClosedState();
// </http-registry>

await host.StopAsync();

/// <summary>Every third request gets 503 with Retry-After; from the 20th request the service is down for 1.5 seconds.</summary>
internal sealed class FakeInventoryService : HttpMessageHandler
{
    private static readonly TimeSpan Downtime = TimeSpan.FromSeconds(1.5);
    private int _requests;
    private long _downSince;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        int n = Interlocked.Increment(ref _requests);
        if (n == 20)
        {
            _downSince = Environment.TickCount64;
        }

        if (_downSince != 0 && Environment.TickCount64 - _downSince < Downtime.TotalMilliseconds)
        {
            throw new HttpRequestException("Connection refused (simulated).", null, HttpStatusCode.ServiceUnavailable);
        }

        if (n % 3 == 0)
        {
            var busy = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            busy.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromMilliseconds(20));
            return Task.FromResult(busy);
        }

        return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"42 in stock (request {n})") });
    }
}
