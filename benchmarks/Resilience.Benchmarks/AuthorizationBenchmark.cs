using System.Security.Claims;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Identity;

namespace Resilience.Benchmarks;

/// <summary>
/// The cost of authorizing one allowed request from a calling workload: our Istio-shaped policy (ALLOW from one
/// principal, GET, a path prefix) enforced by <c>app.UseWorkloadAuthorization()</c>, against ASP.NET Core's
/// authorization with the equivalent requirements, and a bare pipeline.
/// </summary>
/// <remarks>
/// <para>Every variant runs on the same <see cref="DefaultHttpContext"/>: <c>GET /api/prices/42</c> whose user carries
/// the caller's SPIFFE ID claim, and ends in a next delegate that does nothing.</para>
/// <para>The ASP.NET Core side calls <c>IAuthorizationService.AuthorizeAsync(user, resource, policy)</c>
/// with a prebuilt <see cref="AuthorizationPolicy"/> (<c>RequireClaim("spiffe_id", …)</c> and an assertion on method and
/// path prefix), the HTTP context as the resource. That is the core of its <c>AuthorizationMiddleware</c> without what
/// this comparison does not need: endpoint metadata, the policy provider's look-up and the authentication pass of
/// <c>IPolicyEvaluator</c>, which would only add to its cost. It is the fairest equivalent, favouring ASP.NET Core.</para>
/// </remarks>
[MemoryDiagnoser]
public class AuthorizationBenchmark
{
    private const string Caller = "spiffe://cluster.local/ns/default/sa/inventory";

    private ServiceProvider _services = null!;
    private RequestDelegate _bare = null!;
    private RequestDelegate _ours = null!;
    private IAuthorizationService _authorization = null!;
    private AuthorizationPolicy _policy = null!;
    private DefaultHttpContext _context = null!;

    [GlobalSetup]
    public void Setup()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAuthorizationCore();
        services.AddWorkloadAuthorization(o =>
        {
            var rule = new AuthorizationRuleOptions();
            rule.From.Add(new AuthorizationFromOptions { Source = new AuthorizationSourceOptions { Principals = { "cluster.local/ns/default/sa/inventory" } } });
            rule.To.Add(new AuthorizationToOptions { Operation = new AuthorizationOperationOptions { Methods = { "GET" }, Paths = { "/api/prices/*" } } });
            o.Policies["inventory-reads"] = new AuthorizationPolicyOptions { Rules = { rule } };
        });
        _services = services.BuildServiceProvider();

        var bare = new ApplicationBuilder(_services);
        bare.Run(static _ => Task.CompletedTask);
        _bare = bare.Build();

        var ours = new ApplicationBuilder(_services);
        ours.UseWorkloadAuthorization();
        ours.Run(static _ => Task.CompletedTask);
        _ours = ours.Build();

        _authorization = _services.GetRequiredService<IAuthorizationService>();
        _policy = new AuthorizationPolicyBuilder()
            .RequireClaim(SpiffeId.ClaimType, Caller)
            .RequireAssertion(static c => c.Resource is HttpContext http
                && HttpMethods.IsGet(http.Request.Method)
                && http.Request.Path.Value is { } path && path.StartsWith("/api/prices/", StringComparison.Ordinal))
            .Build();

        _context = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim(SpiffeId.ClaimType, Caller)], "mtls")),
        };
        _context.Request.Method = HttpMethods.Get;
        _context.Request.Path = "/api/prices/42";

        if (!Ours().IsCompletedSuccessfully || _context.Response.StatusCode != StatusCodes.Status200OK || !AspNetCoreAsync().GetAwaiter().GetResult())
        {
            throw new InvalidOperationException("Both authorizations must allow the request.");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _services.Dispose();

    [Benchmark(Baseline = true)]
    public Task Bare() => _bare(_context);

    [Benchmark]
    public Task Ours() => _ours(_context);

    [Benchmark]
    public async Task<bool> AspNetCoreAsync()
    {
        AuthorizationResult result = await _authorization.AuthorizeAsync(_context.User, _context, _policy);
        if (result.Succeeded)
        {
            await _bare(_context);
        }

        return result.Succeeded;
    }
}
