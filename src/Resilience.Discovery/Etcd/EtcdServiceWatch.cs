using Etcdserverpb;
using Grpc.Core;
using Microsoft.Extensions.ServiceDiscovery;

namespace Resilience.Discovery.Internal;

/// <summary>
/// The instances of one service in etcd: it reads the service's prefix once, then watches it from the next revision.
/// After a disconnect it resumes the watch from the last revision it saw (or reads the prefix again if that
/// revision was compacted); while etcd is unreachable it keeps the last instances, logs and counts the failure.
/// </summary>
/// <remarks>
/// One background loop owns the instances; readers see an immutable <see cref="Snapshot"/> whose token is cancelled
/// when the next snapshot is published, which makes Microsoft.Extensions.ServiceDiscovery's watcher resolve again.
/// </remarks>
internal sealed class EtcdServiceWatch : IAsyncDisposable
{
    private readonly EtcdConnection _connection;
    private readonly DiscoveryTelemetry _telemetry;
    private readonly TimeProvider _timeProvider;
    private readonly string _prefix;
    private readonly Dictionary<string, ServiceEndpoint> _instances = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private Snapshot _current = new([], new CancellationTokenSource(), false);
    private long _revision;
    private bool _unavailable;

    public EtcdServiceWatch(string service, EtcdConnection connection, DiscoveryTelemetry telemetry, TimeProvider timeProvider)
    {
        Service = service;
        _connection = connection;
        _telemetry = telemetry;
        _timeProvider = timeProvider;
        _prefix = connection.Options.Prefix + service + "/";
        _loop = Task.Run(RunAsync, CancellationToken.None);
    }

    public string Service { get; }

    /// <summary>Gets the instances now, and the token that fires when they change.</summary>
    public Snapshot Current => Volatile.Read(ref _current);

    /// <summary>Waits until the prefix was read once, at most <paramref name="timeout"/>; false when it was not.</summary>
    public async Task<bool> WaitLoadedAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _loaded.Task.WaitAsync(timeout, _timeProvider, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private async Task RunAsync()
    {
        CancellationToken stop = _stop.Token;
        TimeSpan delay = EtcdDiscoveryConstants.InitialReconnectDelay;
        bool reload = true;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                Metadata? headers = await _connection.HeadersAsync(stop).ConfigureAwait(false);
                if (reload)
                {
                    await LoadAsync(headers, stop).ConfigureAwait(false);
                    reload = false;
                }

                reload = await WatchAsync(headers, stop).ConfigureAwait(false);
                delay = EtcdDiscoveryConstants.InitialReconnectDelay;
            }
            catch (Exception error) when (!stop.IsCancellationRequested)
            {
                if (error is RpcException { StatusCode: StatusCode.Unauthenticated })
                {
                    _connection.ForgetToken();
                }

                _unavailable = true;
                _telemetry.RegistryUnavailable(Service, DiscoveryTelemetry.WatchOperation, Current.Endpoints.Count, error);
                try
                {
                    await Task.Delay(delay, _timeProvider, stop).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, EtcdDiscoveryConstants.MaximumReconnectDelay.Ticks));
            }
            catch (Exception) when (stop.IsCancellationRequested)
            {
                return; // stopped: gRPC reports the cancelled call as RpcException(Cancelled), or as OperationCanceledException
            }
        }
    }

    private async Task LoadAsync(Metadata? headers, CancellationToken stop)
    {
        var request = new RangeRequest { Key = EtcdConnection.Key(_prefix), RangeEnd = EtcdConnection.RangeEnd(_prefix) };
        RangeResponse response = await _connection.Kv.RangeAsync(request, headers, cancellationToken: stop).ConfigureAwait(false);
        _instances.Clear();
        foreach (Mvccpb.KeyValue kv in response.Kvs)
        {
            Put(kv);
        }

        _revision = response.Header.Revision;
        Recovered();
        Publish();
    }

    /// <summary>Watches from the revision after the last one seen; true when that revision was compacted and the prefix must be read again.</summary>
    private async Task<bool> WatchAsync(Metadata? headers, CancellationToken stop)
    {
        using AsyncDuplexStreamingCall<WatchRequest, WatchResponse> call = _connection.Watch.Watch(headers, cancellationToken: stop);
        var create = new WatchCreateRequest { Key = EtcdConnection.Key(_prefix), RangeEnd = EtcdConnection.RangeEnd(_prefix), StartRevision = _revision + 1 };
        await call.RequestStream.WriteAsync(new WatchRequest { CreateRequest = create }, stop).ConfigureAwait(false);
        while (await call.ResponseStream.MoveNext(stop).ConfigureAwait(false))
        {
            WatchResponse response = call.ResponseStream.Current;
            if (response.CompactRevision > 0 || response.Canceled)
            {
                return true;
            }

            if (response.Created)
            {
                Recovered();
            }

            if (response.Events.Count == 0)
            {
                continue;
            }

            foreach (Mvccpb.Event change in response.Events)
            {
                if (change.Type == Mvccpb.Event.Types.EventType.Delete)
                {
                    _instances.Remove(change.Kv.Key.ToStringUtf8());
                }
                else
                {
                    Put(change.Kv);
                }

                _revision = Math.Max(_revision, change.Kv.ModRevision);
            }

            Publish();
        }

        throw new RpcException(new Status(StatusCode.Unavailable, "The etcd watch stream ended."));
    }

    private void Put(Mvccpb.KeyValue kv)
    {
        string key = kv.Key.ToStringUtf8();
        EtcdInstanceRecord? record = EtcdInstanceRecord.TryParse(kv.Value.Span, out string? problem);
        if (record is null)
        {
            DiscoveryTelemetry.LogInvalidInstance(_telemetry.Logger, key, problem!);
            _instances.Remove(key);
            return;
        }

        _instances[key] = record.ToServiceEndpoint();
    }

    private void Recovered()
    {
        if (_unavailable)
        {
            _unavailable = false;
            DiscoveryTelemetry.LogRecovered(_telemetry.Logger, Service, DiscoveryTelemetry.WatchOperation, _revision);
        }
    }

    private void Publish()
    {
        ServiceEndpoint[] endpoints = [.. _instances.OrderBy(static p => p.Key, StringComparer.Ordinal).Select(static p => p.Value)];
        Snapshot previous = Interlocked.Exchange(ref _current, new Snapshot(endpoints, new CancellationTokenSource(), Current.EverHadInstances || endpoints.Length > 0));
        _loaded.TrySetResult();
        previous.Changed.Cancel();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false); // the loop ends without throwing once stopped

        _stop.Dispose();
    }

    /// <summary>The instances at one moment.</summary>
    /// <param name="Endpoints">The instances, ordered by key.</param>
    /// <param name="Changed">Cancelled when the instances change.</param>
    /// <param name="EverHadInstances">Whether etcd ever held an instance of the service: then it alone answers for it.</param>
    internal sealed record Snapshot(IReadOnlyList<ServiceEndpoint> Endpoints, CancellationTokenSource Changed, bool EverHadInstances);
}
