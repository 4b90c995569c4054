using Grpc.Core;
using Grpc.Net.Client;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Http.Internal;

namespace Resilience.Http.Tests.Grpc;

/// <summary>
/// Grpc.Net.Client calls through the handlers to a Grpc.AspNetCore server on loopback: a unary call that fails gets a
/// trailers-only response, so retry and the breaker see its <c>grpc-status</c>.
/// </summary>
public class GrpcStatusSocketTests
{
    private const string ClientName = "grpc";

    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task UnaryCall_UnavailableTwiceThenOk_SucceedsThroughRetryAfterThreeServerCalls()
    {
        await using GrpcTestServer server = await GrpcTestServer.StartAsync();
        var services = new ServiceCollection();
        // <grpc-client>
        services.AddResilientHttpClient("grpc", o =>
        {
            o.Retry!.WaitDuration = TimeSpan.FromMilliseconds(10);
            o.Retry.FailureGrpcStatusCodes = [(int)StatusCode.Unavailable, (int)StatusCode.ResourceExhausted];
        });
        // </grpc-client>
        using ServiceProvider provider = services.BuildServiceProvider();
        using GrpcChannel channel = Channel(provider, server);

        string reply = await Call(channel, "14:2:retried");

        reply.Should().Be("ok");
        server.Calls("14:2:retried").Should().Be(3);
    }

    [Fact]
    public async Task UnaryCall_UnavailableWithDefaults_RetriedAlthoughPost()
    {
        await using GrpcTestServer server = await GrpcTestServer.StartAsync();
        using ServiceProvider provider = Client(b => b.AddRetry("r", o => o.WaitDuration = TimeSpan.FromMilliseconds(10)));
        using GrpcChannel channel = Channel(provider, server);

        string reply = await Call(channel, "14:2:default");

        reply.Should().Be("ok");
        server.Calls("14:2:default").Should().Be(3);
    }

    [Theory]
    [InlineData(StatusCode.InvalidArgument)]
    [InlineData(StatusCode.NotFound)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.ResourceExhausted)]
    public async Task UnaryCall_StatusNotRetriedByDefault_SentOnceAndRaisedToCaller(StatusCode code)
    {
        await using GrpcTestServer server = await GrpcTestServer.StartAsync();
        using ServiceProvider provider = Client(b => b.AddRetry("r", o => o.WaitDuration = TimeSpan.FromMilliseconds(10)));
        using GrpcChannel channel = Channel(provider, server);
        string request = $"{(int)code}:5:once";

        Func<Task> call = () => Call(channel, request);

        (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(code);
        server.Calls(request).Should().Be(1);
    }

    [Theory]
    [InlineData(StatusCode.ResourceExhausted)]
    [InlineData(StatusCode.DeadlineExceeded)]
    [InlineData(StatusCode.Unavailable)]
    public async Task UnaryCall_FailureStatusAtThreshold_OpensBreakerAndNextCallNeverSent(StatusCode code)
    {
        await using GrpcTestServer server = await GrpcTestServer.StartAsync();
        using ServiceProvider provider = Client(b => b.AddCircuitBreaker("cb", Breaker));
        using GrpcChannel channel = Channel(provider, server);
        string request = $"{(int)code}:100:breaker";

        for (int i = 0; i < 2; i++)
        {
            Func<Task> failing = () => Call(channel, request);
            (await failing.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(code);
        }

        CircuitBreaker breaker = BreakerOf(provider);
        breaker.State.Should().Be(CircuitBreakerState.Open);
        Func<Task> refused = () => Call(channel, request);
        await refused.Should().ThrowAsync<RpcException>();
        server.Calls(request).Should().Be(2);
    }

    [Fact]
    public async Task UnaryCall_InvalidArgument_NeitherRetriedNorRecordedAsFailure()
    {
        await using GrpcTestServer server = await GrpcTestServer.StartAsync();
        using ServiceProvider provider = Client(b => b
            .AddRetry("r", o => o.WaitDuration = TimeSpan.FromMilliseconds(10))
            .AddCircuitBreaker("cb", o =>
            {
                Breaker(o);
                o.SlidingWindowSize = 10;
            }));
        using GrpcChannel channel = Channel(provider, server);

        for (int i = 0; i < 3; i++)
        {
            string request = $"{(int)StatusCode.InvalidArgument}:1:app-error-{i}";
            Func<Task> call = () => Call(channel, request);
            (await call.Should().ThrowAsync<RpcException>()).Which.StatusCode.Should().Be(StatusCode.InvalidArgument);
            server.Calls(request).Should().Be(1);
        }

        CircuitBreaker breaker = BreakerOf(provider);
        breaker.State.Should().Be(CircuitBreakerState.Closed);
        breaker.GetMetrics().NumberOfFailedCalls.Should().Be(0);
        breaker.GetMetrics().NumberOfSuccessfulCalls.Should().Be(3);
    }

    private static void Breaker(HttpCircuitBreakerOptions o)
    {
        o.SlidingWindowSize = 2;
        o.MinimumNumberOfCalls = 2;
        o.FailureRateThreshold = 50;
    }

    private static ServiceProvider Client(Action<IHttpClientBuilder> configure)
    {
        var services = new ServiceCollection();
        configure(services.AddHttpClient(ClientName));
        return services.BuildServiceProvider();
    }

    private static GrpcChannel Channel(ServiceProvider provider, GrpcTestServer server)
    {
        // <grpc-channel>
        HttpClient http = provider.GetRequiredService<IHttpClientFactory>().CreateClient("grpc");
        GrpcChannel channel = GrpcChannel.ForAddress(server.Address, new GrpcChannelOptions { HttpClient = http, DisposeHttpClient = true });
        // </grpc-channel>
        return channel;
    }

    private static async Task<string> Call(GrpcChannel channel, string request)
    {
        using AsyncUnaryCall<string> call = channel.CreateCallInvoker()
            .AsyncUnaryCall(GrpcTestServer.Scripted, null, new CallOptions(deadline: DateTime.UtcNow + CallTimeout), request);
        return await call.ResponseAsync;
    }

    private static CircuitBreaker BreakerOf(ServiceProvider provider) =>
        provider.GetRequiredService<HttpResilienceRegistry>().Slots
            .Select(s => s.Slot)
            .OfType<ReloadableSlot<HttpCircuitBreakerOptions, BreakerSet>>()
            .Single().Current.Single!;
}
