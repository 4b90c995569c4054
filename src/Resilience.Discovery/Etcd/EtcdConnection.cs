using System.Text;
using dotnet_etcd;
using dotnet_etcd.interfaces;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Options;

namespace Resilience.Discovery.Internal;

/// <summary>
/// The one gRPC channel to the etcd cluster (dotnet-etcd's <see cref="EtcdClient"/>), its raw KV, watch and lease
/// clients, and the authentication token when the options name a user.
/// </summary>
internal sealed class EtcdConnection : IDisposable
{
    private readonly EtcdClient _client;
    private readonly EtcdDiscoveryOptions _options;
    private Metadata? _headers;

    public EtcdConnection(IOptions<EtcdDiscoveryOptions> options)
    {
        _options = options.Value;
        _client = new EtcdClient(string.Join(',', _options.Endpoints), configureChannelOptions: channel =>
        {
            // Reconnect soon after the registry comes back: gRPC's own back-off grows to two minutes by default.
            channel.InitialReconnectBackoff = EtcdDiscoveryConstants.InitialReconnectDelay;
            channel.MaxReconnectBackoff = EtcdDiscoveryConstants.MaximumReconnectDelay;
            if (_options.Endpoints.Any(static e => e.StartsWith("https:", StringComparison.OrdinalIgnoreCase)))
            {
                // The channel's address is dotnet-etcd's static resolver, not the https URLs: say TLS explicitly.
                channel.Credentials = ChannelCredentials.SecureSsl;
                var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
                EtcdTls.Configure(_options, handler.SslOptions);
                channel.HttpHandler = handler;
                channel.DisposeHttpClient = true;
            }
        });
        IConnection connection = _client.GetConnection();
        Kv = connection.KVClient;
        Watch = connection.WatchClient;
        Lease = connection.LeaseClient;
        Auth = connection.AuthClient;
    }

    public EtcdDiscoveryOptions Options => _options;

    public KV.KVClient Kv { get; }

    public Watch.WatchClient Watch { get; }

    public Lease.LeaseClient Lease { get; }

    private Auth.AuthClient Auth { get; }

    /// <summary>The headers of a call: the authentication token when a user is configured, otherwise none.</summary>
    public async ValueTask<Metadata?> HeadersAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(_options.Username))
        {
            return null;
        }

        Metadata? headers = Volatile.Read(ref _headers);
        if (headers is not null)
        {
            return headers;
        }

        AuthenticateResponse response = await Auth.AuthenticateAsync(
            new AuthenticateRequest { Name = _options.Username, Password = _options.Password },
            cancellationToken: cancellationToken).ConfigureAwait(false);
        headers = new Metadata { { "token", response.Token } };
        Volatile.Write(ref _headers, headers);
        return headers;
    }

    /// <summary>Forgets the token after a failure, so that the next call authenticates again (tokens expire).</summary>
    public void ForgetToken() => Volatile.Write(ref _headers, null);

    public static ByteString Key(string key) => ByteString.CopyFromUtf8(key);

    /// <summary>The end of the range of every key under <paramref name="prefix"/>: the prefix with its last byte plus one.</summary>
    public static ByteString RangeEnd(string prefix)
    {
        byte[] end = Encoding.UTF8.GetBytes(prefix);
        end[^1]++;
        return ByteString.CopyFrom(end);
    }

    public void Dispose() => _client.Dispose();
}
