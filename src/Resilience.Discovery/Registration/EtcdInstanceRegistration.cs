using Etcdserverpb;
using Grpc.Core;

namespace Resilience.Discovery.Internal;

/// <summary>
/// One instance's key in etcd: written under a lease of the configured TTL, the lease kept alive every third of the
/// TTL, the key removed while the instance is unhealthy and on graceful stop. When etcd was unreachable long enough
/// for the lease to expire, the next keep-alive grants a new lease and writes the key again.
/// </summary>
internal sealed class EtcdInstanceRegistration : IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly DiscoveryTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly string _service;
    private readonly string _value;
    private readonly long _ttlSeconds;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;
    private long _leaseId;
    private bool _healthy = true;
    private bool _unavailable;
    private int _disposed;

    public EtcdInstanceRegistration(string service, string instanceId, EtcdInstanceRecord record, EtcdConnection connection, DiscoveryTelemetry telemetry, TimeProvider timeProvider)
    {
        _service = service;
        Key = connection.Options.Prefix + service + "/" + instanceId;
        _value = record.ToJson();
        Address = record.Address;
        _connection = connection;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _ttlSeconds = (long)connection.Options.Ttl.TotalSeconds;
    }

    /// <summary>Gets the lease the key is bound to; 0 until granted.</summary>
    internal long LeaseId => Volatile.Read(ref _leaseId);

    /// <summary>Gets the instance's key, such as <c>/services/inventory/3f2a…</c>.</summary>
    public string Key { get; }

    public Uri Address { get; }

    /// <summary>Writes the key (retrying in the background when etcd is unreachable) and starts the keep-alive loop.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await EnsureRegisteredAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception error) when (error is RpcException or HttpRequestException)
        {
            Unavailable(error);
        }

        _loop = Task.Run(KeepAliveLoopAsync, CancellationToken.None);
    }

    /// <summary>Removes the key while the instance is unhealthy; writes it again when it is healthy.</summary>
    public async Task SetHealthyAsync(bool healthy, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (healthy == _healthy)
            {
                return;
            }

            _healthy = healthy;
            Metadata? headers = await _connection.HeadersAsync(cancellationToken).ConfigureAwait(false);
            if (healthy)
            {
                if (Volatile.Read(ref _leaseId) != 0)
                {
                    await PutUnsynchronizedAsync(headers, cancellationToken).ConfigureAwait(false);
                }
            }
            else
            {
                await _connection.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdConnection.Key(Key) }, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
                DiscoveryTelemetry.LogDeregistered(_telemetry.Logger, Key, "unhealthy");
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Graceful stop: the keep-alive ends, the key is deleted and the lease revoked.</summary>
    /// <remarks>A failure (etcd unreachable, the lease already expired) is logged, not thrown: the key then goes at lease expiry.</remarks>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await StopLoopAsync().ConfigureAwait(false);
        try
        {
            Metadata? headers = await _connection.HeadersAsync(cancellationToken).ConfigureAwait(false);
            await _connection.Kv.DeleteRangeAsync(new DeleteRangeRequest { Key = EtcdConnection.Key(Key) }, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            long lease = Interlocked.Exchange(ref _leaseId, 0);
            if (lease != 0)
            {
                await _connection.Lease.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            DiscoveryTelemetry.LogDeregistered(_telemetry.Logger, Key, "graceful stop");
        }
        catch (RpcException error)
        {
            Unavailable(error);
        }
    }

    /// <summary>Stops keeping the lease alive and leaves the key as it is, as a crashed process would: etcd removes it at lease expiry.</summary>
    internal Task AbandonAsync() => StopLoopAsync();

    private async Task StopLoopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    private async Task KeepAliveLoopAsync()
    {
        CancellationToken stop = _stop.Token;
        TimeSpan period = TimeSpan.FromSeconds(_ttlSeconds / 3.0);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(period, _timeProvider, stop).ConfigureAwait(false);
                await KeepAliveOnceAsync(stop).ConfigureAwait(false);
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return; // stopped: gRPC reports the cancelled call as RpcException(Cancelled), or as OperationCanceledException
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                if (error is RpcException { StatusCode: StatusCode.Unauthenticated })
                {
                    _connection.ForgetToken();
                }

                Unavailable(error);
            }
        }
    }

    private async Task KeepAliveOnceAsync(CancellationToken stop)
    {
        long lease = Volatile.Read(ref _leaseId);
        if (lease == 0)
        {
            await EnsureRegisteredAsync(stop).ConfigureAwait(false);
            return;
        }

        Metadata? headers = await _connection.HeadersAsync(stop).ConfigureAwait(false);
        using AsyncDuplexStreamingCall<LeaseKeepAliveRequest, LeaseKeepAliveResponse> call = _connection.Lease.LeaseKeepAlive(headers, cancellationToken: stop);
        await call.RequestStream.WriteAsync(new LeaseKeepAliveRequest { ID = lease }, stop).ConfigureAwait(false);
        await call.RequestStream.CompleteAsync().ConfigureAwait(false);
        if (!await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
        {
            throw new RpcException(new Status(StatusCode.Unavailable, "The etcd keep-alive stream ended without an answer."));
        }

        if (call.ResponseStream.Current.TTL <= 0)
        {
            // The lease expired while etcd was unreachable (or was revoked): register anew.
            Interlocked.CompareExchange(ref _leaseId, 0, lease);
            await EnsureRegisteredAsync(stop).ConfigureAwait(false);
            return;
        }

        Recovered();
    }

    private async Task EnsureRegisteredAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Metadata? headers = await _connection.HeadersAsync(cancellationToken).ConfigureAwait(false);
            LeaseGrantResponse grant = await _connection.Lease.LeaseGrantAsync(new LeaseGrantRequest { TTL = _ttlSeconds }, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _leaseId, grant.ID);
            if (_healthy)
            {
                await PutUnsynchronizedAsync(headers, cancellationToken).ConfigureAwait(false);
            }

            Recovered();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task PutUnsynchronizedAsync(Metadata? headers, CancellationToken cancellationToken)
    {
        var put = new PutRequest { Key = EtcdConnection.Key(Key), Value = EtcdConnection.Key(_value), Lease = Volatile.Read(ref _leaseId) };
        await _connection.Kv.PutAsync(put, headers, cancellationToken: cancellationToken).ConfigureAwait(false);
        DiscoveryTelemetry.LogRegistered(_telemetry.Logger, Key, Address.ToString(), _ttlSeconds);
    }

    private void Unavailable(Exception error)
    {
        _unavailable = true;
        _telemetry.RegistryUnavailable(_service, DiscoveryTelemetry.KeepAliveOperation, 0, error);
    }

    private void Recovered()
    {
        if (_unavailable)
        {
            _unavailable = false;
            DiscoveryTelemetry.LogRecovered(_telemetry.Logger, _service, DiscoveryTelemetry.KeepAliveOperation, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // The container disposes the registration once per service type it is registered as.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await StopLoopAsync().ConfigureAwait(false);
        _stop.Dispose();
        _gate.Dispose();
    }
}
