using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Resilience.Identity.Tests.Authorization;

/// <summary>
/// The middleware on a real Kestrel on loopback (plain HTTP: a test middleware turns the <c>x-test-spiffe-id</c>
/// header into the SPIFFE ID claim that the mutual TLS server side sets), and its allocation-free allowed path.
/// </summary>
public class WorkloadAuthorizationMiddlewareTests
{
    private const string TestHeader = "x-test-spiffe-id";
    private const string Inventory = "spiffe://cluster.local/ns/default/sa/inventory";
    private const string Order = "spiffe://cluster.local/ns/default/sa/order";

    // <authorization-json>
    private const string PolicyConfiguration = """
        {
          "Authorization": {
            "Policies": {
              "inventory-reads": {
                "Action": "ALLOW",
                "Rules": [ {
                  "From": [ { "Source": { "Principals": [ "cluster.local/ns/default/sa/inventory" ] } } ],
                  "To": [ { "Operation": { "Methods": [ "GET" ], "Paths": [ "/api/prices/*" ] } } ]
                } ]
              },
              "deny-admin": {
                "Action": "DENY",
                "Rules": [ { "To": [ { "Operation": { "Paths": [ "/api/prices/admin*" ] } } ] } ]
              }
            }
          }
        }
        """;
    // </authorization-json>

    [Fact]
    public async Task InvokeAsync_OverKestrel_AllowsForbidsAndLogs()
    {
        var logs = new CapturingLoggerProvider();
        await using WebApplication app = await StartAsync(logs);
        using var client = new HttpClient { BaseAddress = Address(app), Timeout = TimeSpan.FromSeconds(30) };

        (await SendAsync(client, Inventory, HttpMethod.Get, "/api/prices/42")).Should().Be(HttpStatusCode.OK);
        (await SendAsync(client, Inventory, HttpMethod.Post, "/api/prices/42")).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(client, Order, HttpMethod.Get, "/api/prices/42")).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(client, null, HttpMethod.Get, "/api/prices/42")).Should().Be(HttpStatusCode.Forbidden);
        (await SendAsync(client, Inventory, HttpMethod.Get, "/api/prices/admin/reset")).Should().Be(HttpStatusCode.Forbidden, "DENY beats ALLOW");

        string[] denials = [.. logs.Lines.Where(l => l.Category == WorkloadAuthorizationMiddleware.LoggerCategory).Select(l => l.Message)];
        denials.Should().Equal(
            "Denied POST /api/prices/42 from cluster.local/ns/default/sa/inventory with 403: no ALLOW policy matched.",
            "Denied GET /api/prices/42 from cluster.local/ns/default/sa/order with 403: no ALLOW policy matched.",
            "Denied GET /api/prices/42 from no principal with 403: no ALLOW policy matched.",
            "Denied GET /api/prices/admin/reset from cluster.local/ns/default/sa/inventory with 403: DENY policy 'deny-admin' matched by its rule 0.");
    }

    [Fact]
    public async Task InvokeAsync_AuditPolicyMatches_LogsAndKeepsDecision()
    {
        var logs = new CapturingLoggerProvider();
        await using WebApplication app = await StartAsync(logs, services => services.AddWorkloadAuthorization(o =>
            o.Policies["audit-all"] = new AuthorizationPolicyOptions { Action = AuthorizationPolicyActions.Audit, Rules = { new AuthorizationRuleOptions() } }));
        using var client = new HttpClient { BaseAddress = Address(app), Timeout = TimeSpan.FromSeconds(30) };

        (await SendAsync(client, Order, HttpMethod.Get, "/anything")).Should().Be(HttpStatusCode.OK, "AUDIT never changes the decision");

        logs.Lines.Should().Contain(l => l.Message == "Audited GET /anything from cluster.local/ns/default/sa/order (allowed): AUDIT policy 'audit-all' matched by its rule 0.");
    }

    [Fact]
    public async Task InvokeAsync_AnonymousCallerAuditedThenDenied_403AndBothLinesSayNoPrincipal()
    {
        var logs = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs));
        services.AddWorkloadAuthorization(o =>
        {
            o.Policies["audit-all"] = new AuthorizationPolicyOptions { Action = AuthorizationPolicyActions.Audit, Rules = { new AuthorizationRuleOptions() } };
            o.Policies["deny-all"] = new AuthorizationPolicyOptions { Action = AuthorizationPolicyActions.Deny, Rules = { new AuthorizationRuleOptions() } };
        });
        await using ServiceProvider provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        app.UseWorkloadAuthorization();
        app.Run(static _ => throw new InvalidOperationException("a denied request must not reach the endpoint"));
        var context = new DefaultHttpContext();
        context.Request.Method = HttpMethods.Delete;
        context.Request.PathBase = "/shop";
        context.Request.Path = "/orders/7";

        await app.Build()(context);

        context.Response.StatusCode.Should().Be(StatusCodes.Status403Forbidden);
        logs.Lines.Where(l => l.Category == WorkloadAuthorizationMiddleware.LoggerCategory).Select(l => l.Message).Should().BeEquivalentTo(
            "Audited DELETE /shop/orders/7 from no principal (denied): AUDIT policy 'audit-all' matched by its rule 0.",
            "Denied DELETE /shop/orders/7 from no principal with 403: DENY policy 'deny-all' matched by its rule 0.");
    }

    [Fact]
    public async Task StartAsync_InvalidPolicies_FailsWithEveryMessage()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddJsonStream(new MemoryStream("""
            { "Authorization": { "Policies": { "deny-admin": { "Action": "REFUSE", "Rules": [ { "To": [ { "Operation": { "Methods": [ "GET", "GE T" ] } } ] } ] } } } }
            """u8.ToArray()));
        builder.Services.AddWorkloadAuthorization(builder.Configuration.GetSection("Authorization"));
        await using WebApplication app = builder.Build();
        app.UseWorkloadAuthorization();

        OptionsValidationException failure = (await app.Invoking(a => a.StartAsync()).Should().ThrowAsync<OptionsValidationException>()).Which;

        failure.Failures.Should().Equal(
            "Authorization:Policies:deny-admin:Action is 'REFUSE', but it must be ALLOW, DENY or AUDIT.",
            "Authorization:Policies:deny-admin:Rules:0:To:0:Operation:Methods:1 is 'GE T', but it must be an HTTP method such as GET (letters, digits and !#$%&'*+-.^_`|~), a value matched exactly (abc), by prefix (abc*) or suffix (*abc), or * for any non-empty value.");
    }

    [Fact]
    public void UseWorkloadAuthorization_WithoutPolicies_Throws()
    {
        using ServiceProvider services = new ServiceCollection().BuildServiceProvider();
        var app = new ApplicationBuilder(services);

        app.Invoking(a => a.UseWorkloadAuthorization()).Should().Throw<InvalidOperationException>().WithMessage("*AddWorkloadAuthorization*");
    }

    [Fact]
    public async Task InvokeAsync_AllowedRequest_AllocatesNothing()
    {
        var services = new ServiceCollection();
        services.AddWorkloadAuthorization(new ConfigurationBuilder().AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PolicyConfiguration))).Build().GetSection("Authorization"));
        await using ServiceProvider provider = services.BuildServiceProvider();
        var app = new ApplicationBuilder(provider);
        app.UseWorkloadAuthorization();
        app.Run(static _ => Task.CompletedTask);
        RequestDelegate pipeline = app.Build();
        var context = new DefaultHttpContext { User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SpiffeId.ClaimType, Inventory)], "mtls")) };
        context.Request.Method = HttpMethods.Get;
        context.Request.Path = "/api/prices/42";
        await pipeline(context);
        context.Response.StatusCode.Should().Be(StatusCodes.Status200OK);

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 100; i++)
        {
            await pipeline(context);
        }

        (GC.GetAllocatedBytesForCurrentThread() - before).Should().Be(0);
    }

    private static async Task<WebApplication> StartAsync(CapturingLoggerProvider logs, Action<IServiceCollection>? configure = null)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders().AddProvider(logs);
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Configuration.AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(PolicyConfiguration)));
        if (configure is null)
        {
            // <authorization-setup>
            builder.Services.AddWorkloadAuthorization(builder.Configuration.GetSection("Authorization"));
            // </authorization-setup>
        }
        else
        {
            configure(builder.Services);
        }

        WebApplication app = builder.Build();
        app.Use((context, next) =>
        {
            // Stands in for the mutual TLS server side, which puts the client certificate's SPIFFE ID on the request.
            if (context.Request.Headers[TestHeader] is [{ } id])
            {
                context.User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SpiffeId.ClaimType, id)], "test"));
            }

            return next(context);
        });
        // <authorization-use>
        app.UseWorkloadAuthorization();
        // </authorization-use>
        app.Run(static context => context.Response.WriteAsync("price"));
        await app.StartAsync();
        return app;
    }

    private static Uri Address(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single());

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, string? spiffeId, HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        if (spiffeId is not null)
        {
            request.Headers.Add(TestHeader, spiffeId);
        }

        using HttpResponseMessage response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
