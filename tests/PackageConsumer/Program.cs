// The package consumer: a service that uses Resilience4Net.Core, .DependencyInjection, .Http, .AspNetCore, .Attributes,
// .Discovery, .Routing and .Identity from a local package folder, never from the repository's projects. .ci/run packs the packages, then
// restores, builds and runs this; it prints one line per check and exits 1 when any fails. The package READMEs quote the
// `// <name>` regions of these files, so their code compiles against the packages themselves.
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using PackageConsumer;
using Resilience;

var checks = new Checks();

// Resilience4Net.Core: a breaker around a plain call.
CircuitBreaker inventoryBreaker = CoreExample.CreateBreaker();
for (int i = 0; i < 4; i++)
{
    await CoreExample.CheckStockAsync(inventoryBreaker, new FailingInventory());
}

checks.Check("core: a breaker opens after failed calls", inventoryBreaker.State == CircuitBreakerState.Open);
checks.Check("core: an open breaker does not call through", await CoreExample.CheckStockAsync(inventoryBreaker, new FailingInventory()) == "rejected");

// Resilience4Net.DependencyInjection: AddResilience for code that is not HTTP, bound from configuration.
IConfigurationRoot configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Resilience:CircuitBreaker:Instances:ledger:SlidingWindowSize"] = "4",
    ["Resilience:CircuitBreaker:Instances:ledger:MinimumNumberOfCalls"] = "2",
    ["Resilience:CircuitBreaker:Instances:ledger:FailureRateThreshold"] = "50",
    ["Resilience:CircuitBreaker:Instances:ledger:WaitDurationInOpenState"] = "00:00:00.200",
    ["Resilience:CircuitBreaker:Instances:ledger:AutomaticTransitionFromOpenToHalfOpenEnabled"] = "true",
    ["Resilience:CircuitBreaker:Instances:ledger:PermittedNumberOfCallsInHalfOpenState"] = "1",
    ["Resilience:CircuitBreaker:Instances:flaky:SlidingWindowSize"] = "4",
    ["Resilience:CircuitBreaker:Instances:flaky:MinimumNumberOfCalls"] = "4",
    ["Resilience:CircuitBreaker:Instances:flaky:FailureRateThreshold"] = "50",
    ["Resilience:CircuitBreaker:Instances:flaky:WaitDurationInOpenState"] = "00:00:01",
    ["Resilience:CircuitBreaker:Instances:flaky:AutomaticTransitionFromOpenToHalfOpenEnabled"] = "true",
    ["Resilience:CircuitBreaker:Instances:flaky:PermittedNumberOfCallsInHalfOpenState"] = "2",
    ["Resilience:Retry:Instances:flaky:MaxAttempts"] = "1",
}).Build();

HostApplicationBuilder ledgerBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
DependencyInjectionExample.Register(ledgerBuilder.Services, configuration);
using (IHost ledgerHost = ledgerBuilder.Build())
{
    await ledgerHost.StartAsync(); // validates the options, as a service's start does
    IServiceProvider services = ledgerHost.Services;
    CircuitBreaker ledger = services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("ledger");
    Task halfOpen = Checks.WaitForStateAsync(ledger, CircuitBreakerState.HalfOpen);
    await DependencyInjectionExample.PostAsync(services, fail: true);
    await DependencyInjectionExample.PostAsync(services, fail: true);
    checks.Check("di: the configured breaker opens after failed calls", ledger.State == CircuitBreakerState.Open);
    checks.Check("di: the breaker moves to half-open after its wait", await Checks.CompletesAsync(halfOpen));
    await DependencyInjectionExample.PostAsync(services, fail: false);
    checks.Check("di: a successful trial call closes the breaker", ledger.State == CircuitBreakerState.Closed);
    await ledgerHost.StopAsync();
}

// Resilience4Net.Attributes: the generator and analyzer come with the package; the decorator refuses through its
// fallback when the breaker is open.
HostApplicationBuilder attributesBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
DependencyInjectionExample.Register(attributesBuilder.Services, configuration);
AttributesExample.Register(attributesBuilder.Services);
using (IHost attributesHost = attributesBuilder.Build())
{
    await attributesHost.StartAsync();
    using IServiceScope scope = attributesHost.Services.CreateScope();
    ILedgerClient ledgerClient = scope.ServiceProvider.GetRequiredService<ILedgerClient>();
    checks.Check("attributes: the generated decorator calls through", await ledgerClient.PostAsync("entry-2", CancellationToken.None));
    attributesHost.Services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("ledger").TransitionToForcedOpenState();
    checks.Check("attributes: an open breaker answers through the fallback", !await ledgerClient.PostAsync("entry-3", CancellationToken.None));
    await attributesHost.StopAsync();
}

// Resilience4Net.Http against a flaky Kestrel service that Resilience4Net.AspNetCore's fault injection breaks on demand.
await using (FlakyService flaky = await FlakyService.StartAsync())
{
    HostApplicationBuilder clientBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    HttpExample.Register(clientBuilder.Services, configuration, flaky.BaseAddress);
    using IHost clientHost = clientBuilder.Build();
    await clientHost.StartAsync();
    IServiceProvider services = clientHost.Services;
    HttpClient client = services.GetRequiredService<IHttpClientFactory>().CreateClient("flaky");
    CircuitBreaker breaker = services.GetRequiredService<CircuitBreakerRegistry>().GetOrCreate("flaky");

    checks.Check("http: the healthy service answers 200", await HttpExample.GetAsync(client) == "200");
    flaky.Fail(true);
    Task halfOpen = Checks.WaitForStateAsync(breaker, CircuitBreakerState.HalfOpen);
    for (int i = 0; i < 4; i++)
    {
        await HttpExample.GetAsync(client);
    }

    checks.Check("http: the breaker opens while the service answers 503", breaker.State == CircuitBreakerState.Open);
    int received = flaky.RequestsReceived;
    checks.Check("http: the open breaker rejects without calling the service",
        await HttpExample.GetAsync(client) == "rejected" && flaky.RequestsReceived == received);
    flaky.Fail(false);
    checks.Check("http: the breaker moves to half-open after its wait", await Checks.CompletesAsync(halfOpen));
    bool trialsSucceeded = await HttpExample.GetAsync(client) == "200" && await HttpExample.GetAsync(client) == "200";
    checks.Check("http: successful trial calls close the breaker", trialsSucceeded && breaker.State == CircuitBreakerState.Closed);
    await clientHost.StopAsync();
}

// Resilience4Net.Discovery: the logical name http://inventory resolved through configuration (Services:inventory:http:0).
await using (FlakyService inventory = await FlakyService.StartAsync())
{
    HostApplicationBuilder clientBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    clientBuilder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["Services:inventory:http:0"] = inventory.BaseAddress.ToString() });
    DiscoveryExample.RegisterClient(clientBuilder.Services, configuration);
    using IHost clientHost = clientBuilder.Build();
    await clientHost.StartAsync();
    HttpClient client = clientHost.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
    checks.Check("discovery: http://inventory reaches the configured instance", await HttpExample.GetAsync(client) == "200");
    await clientHost.StopAsync();
}

// Resilience4Net.Routing: two instances of http://inventory, round robin, so each receives one of two requests.
await using (FlakyService first = await FlakyService.StartAsync())
await using (FlakyService second = await FlakyService.StartAsync())
{
    HostApplicationBuilder clientBuilder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
    IConfigurationRoot routing = new ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Services:inventory:http:0"] = first.BaseAddress.ToString(),
        ["Services:inventory:http:1"] = second.BaseAddress.ToString(),
        ["Routing:inventory:Policy"] = "RoundRobin",
    }).Build();
    clientBuilder.Configuration.AddConfiguration(routing);
    RoutingExample.RegisterClient(clientBuilder.Services, routing);
    using IHost clientHost = clientBuilder.Build();
    await clientHost.StartAsync();
    HttpClient client = clientHost.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
    bool answered = await HttpExample.GetAsync(client) == "200" && await HttpExample.GetAsync(client) == "200";
    checks.Check("routing: round robin sends one request to each instance", answered && first.RequestsReceived == 1 && second.RequestsReceived == 1);
    await clientHost.StopAsync();
}

// Resilience4Net.Identity: a development CA's identity, written to PEM files and loaded at host start.
string identityFiles = Directory.CreateTempSubdirectory("package-consumer-identity-").FullName;
try
{
    checks.Check("identity: the workload identity is read from its files",
        await IdentityExample.LoadAsync(identityFiles) == "spiffe://cluster.local/ns/default/sa/inventory");
}
finally
{
    Directory.Delete(identityFiles, recursive: true);
}

return checks.Summarize();
