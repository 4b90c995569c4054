using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using Grpc.AspNetCore.Server.Model;
using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Resilience.Http.Tests.Grpc;

/// <summary>
/// A Grpc.AspNetCore server on a loopback port (Kestrel, HTTP/2 over cleartext only) with one unary method, bound
/// without a .proto: its request is <c>{code}:{failures}:{tag}</c>, and the first <c>failures</c> calls with that
/// request fail with gRPC status <c>code</c> (an <see cref="RpcException"/>, so a trailers-only response); later
/// calls answer <c>ok</c>. The server counts the calls per request.
/// </summary>
internal sealed class GrpcTestServer : IAsyncDisposable
{
    /// <summary>UTF-8 strings as messages: no Protocol Buffers needed.</summary>
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(static s => Encoding.UTF8.GetBytes(s), static b => Encoding.UTF8.GetString(b));

    /// <summary>The unary method.</summary>
    public static readonly Method<string, string> Scripted = new(MethodType.Unary, "resilience.test.Scripted", "Call", Utf8, Utf8);

    private readonly WebApplication _app;

    private GrpcTestServer(WebApplication app, ScriptedService service)
    {
        _app = app;
        Service = service;
    }

    /// <summary>Gets the address the server listens on, such as <c>http://127.0.0.1:5123</c>.</summary>
    public Uri Address { get; private set; } = null!;

    /// <summary>Gets the service, which counts the calls.</summary>
    public ScriptedService Service { get; }

    /// <summary>Gets the number of calls the server received with <paramref name="request"/>.</summary>
    public int Calls(string request) => Service.Calls(request);

    public static async Task<GrpcTestServer> StartAsync()
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        var service = new ScriptedService();
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(service);
        builder.Services.AddSingleton<IServiceMethodProvider<ScriptedService>, ScriptedMethodProvider>();
        WebApplication app = builder.Build();
        app.MapGrpcService<ScriptedService>();
        await app.StartAsync();
        var server = new GrpcTestServer(app, service);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        server.Address = new Uri(address);
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }

    /// <summary>The service behind <see cref="Scripted"/>.</summary>
    internal sealed class ScriptedService
    {
        private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);

        public int Calls(string request) => _calls.TryGetValue(request, out int calls) ? calls : 0;

        public Task<string> CallAsync(string request, ServerCallContext context)
        {
            int call = _calls.AddOrUpdate(request, 1, static (_, n) => n + 1);
            string[] parts = request.Split(':');
            var code = (StatusCode)int.Parse(parts[0], CultureInfo.InvariantCulture);
            int failures = int.Parse(parts[1], CultureInfo.InvariantCulture);
            if (call <= failures)
            {
                throw new RpcException(new Status(code, $"scripted failure {call} of {failures}"));
            }

            return Task.FromResult("ok");
        }
    }

    /// <summary>Binds <see cref="Scripted"/> to <see cref="ScriptedService"/>, in place of generated code.</summary>
    private sealed class ScriptedMethodProvider : IServiceMethodProvider<ScriptedService>
    {
        public void OnServiceMethodDiscovery(ServiceMethodProviderContext<ScriptedService> context) =>
            context.AddUnaryMethod(Scripted, [], static (service, request, callContext) => service.CallAsync(request, callContext));
    }
}
