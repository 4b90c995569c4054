using Microsoft.Extensions.Primitives;

namespace Resilience.Identity.Tests.Integration;

public sealed class RotationTests : WorkloadFiles
{
    private const string Pricing = "spiffe://cluster.local/ns/default/sa/pricing";
    private const int Loops = 4;
    private const int RequestsEachPhase = 40;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task GetAsync_FilesRotatedUnderLoad_NoRequestDroppedAndNewConnectionsPresentNewCertificate()
    {
        string serverDirectory = Files.Sub("pricing");
        string clientDirectory = Files.Sub("order");
        WorkloadIdentity oldClient = Ca.Issue("default", "order");
        await using MtlsServer server = await MtlsServer.StartAsync(DevelopmentCertificateAuthority.WriteFiles(Ca.Issue("default", "pricing"), serverDirectory));
        using var client = new MtlsClient(DevelopmentCertificateAuthority.WriteFiles(oldClient, clientDirectory), server.BaseAddress, Pricing);
        HttpClient http = client.Create();

        int completed = 0;
        int failures = 0;
        var beforeRotation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var afterRotation = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int rotatedAt = int.MaxValue;
        string? newSerial = null;
        using var stop = new CancellationTokenSource();

        // Two loops keep their connections alive; two open a new connection per request.
        Task[] loops = Enumerable.Range(0, Loops).Select(i => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/");
                request.Headers.ConnectionClose = i % 2 == 0;
                try
                {
                    using HttpResponseMessage response = await http.SendAsync(request);
                    response.EnsureSuccessStatusCode();
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref failures);
                }

                int done = Interlocked.Increment(ref completed);
                if (done >= RequestsEachPhase)
                {
                    beforeRotation.TrySetResult();
                }

                // After the rotation: enough requests, and at least one new connection (the loops that close theirs
                // keep opening new ones; when one opens is up to the connection pool, so it is waited for, bounded).
                if (done >= Volatile.Read(ref rotatedAt) + RequestsEachPhase && server.ClientSerials.Contains(newSerial))
                {
                    afterRotation.TrySetResult();
                }
            }
        })).ToArray();

        await beforeRotation.Task.WaitAsync(Bound);
        Task clientChanged = Changed(client.Identity.GetChangeToken());
        Task serverChanged = Changed(server.Identity.GetChangeToken());
        WorkloadIdentity newClient = Ca.Issue("default", "order");
        Volatile.Write(ref newSerial, newClient.Certificate.SerialNumber);
        DevelopmentCertificateAuthority.WriteFiles(newClient, clientDirectory);
        DevelopmentCertificateAuthority.WriteFiles(Ca.Issue("default", "pricing"), serverDirectory);
        await Task.WhenAll(clientChanged, serverChanged).WaitAsync(Bound);
        Volatile.Write(ref rotatedAt, Volatile.Read(ref completed));
        await afterRotation.Task.WaitAsync(Bound);
        await stop.CancelAsync();
        await Task.WhenAll(loops).WaitAsync(Bound);

        failures.Should().Be(0);
        client.Identity.Current.Certificate.SerialNumber.Should().Be(newClient.Certificate.SerialNumber);
        server.ClientSerials.Should().Contain(oldClient.Certificate.SerialNumber).And.Contain(newClient.Certificate.SerialNumber);
        server.ClientSerials.Distinct().Should().BeEquivalentTo([oldClient.Certificate.SerialNumber, newClient.Certificate.SerialNumber]);
    }

    private static Task Changed(IChangeToken token)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), changed);
        return changed.Task;
    }
}
