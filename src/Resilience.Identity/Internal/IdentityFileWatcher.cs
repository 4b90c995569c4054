using Microsoft.Extensions.Logging;

namespace Resilience.Identity.Internal;

/// <summary>
/// Loads the identity from its files, publishes it through a <see cref="WorkloadIdentityProvider"/>, and loads it
/// again whenever anything changes in the folders that hold the files.
/// </summary>
/// <remarks>
/// The whole folder is watched, not the three names: Kubernetes updates a mounted secret by swapping a symbolic link,
/// which changes no watched name. Each change reads the three files again as one set; a set equal to the current one
/// is ignored, and a set that does not load (a rotation half written: a new certificate beside the old key) keeps the
/// last good identity and logs why, until a later change completes it. Reloads run one at a time.
/// </remarks>
internal sealed class IdentityFileWatcher : IDisposable
{
    private readonly WorkloadIdentityOptions _options;
    private readonly string _keyPrefix;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Lock _reload = new();

    public IdentityFileWatcher(WorkloadIdentityOptions options, string keyPrefix, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _keyPrefix = keyPrefix;
        _timeProvider = timeProvider;
        _logger = logger;
        var errors = new List<string>();
        WorkloadIdentity identity = IdentityFiles.TryLoad(options, keyPrefix, timeProvider.GetUtcNow(), errors)
            ?? throw new InvalidOperationException("The workload identity could not be loaded: " + string.Join(" ", errors));
        Provider = new WorkloadIdentityProvider(identity);
        IdentityLog.IdentityLoaded(_logger, identity.Id.Value, identity.Certificate.SerialNumber, identity.Certificate.NotAfter);

        string?[] paths = [options.CertificateFile, options.KeyFile, options.TrustBundleFile];
        foreach (string directory in paths.Select(static p => Path.GetDirectoryName(Path.GetFullPath(p!))!).Distinct(StringComparer.Ordinal))
        {
            var watcher = new FileSystemWatcher(directory)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
            };
            watcher.Changed += OnChanged;
            watcher.Created += OnChanged;
            watcher.Deleted += OnChanged;
            watcher.Renamed += OnChanged;
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    public WorkloadIdentityProvider Provider { get; }

    /// <summary>Reads the files again and publishes them when they form a new, consistent identity.</summary>
    public void Reload()
    {
        lock (_reload)
        {
            WorkloadIdentity current = Provider.Current;
            var errors = new List<string>();
            WorkloadIdentity? next = IdentityFiles.TryLoad(_options, _keyPrefix, _timeProvider.GetUtcNow(), errors);
            if (next is null)
            {
                IdentityLog.ReloadFailed(_logger, current.Id.Value, current.Certificate.SerialNumber, string.Join(" ", errors));
                return;
            }

            if (next.IsSameAs(current))
            {
                next.Certificate.Dispose();
                return;
            }

            Provider.Publish(next);
            IdentityLog.IdentityLoaded(_logger, next.Id.Value, next.Certificate.SerialNumber, next.Certificate.NotAfter);
        }
    }

    public void Dispose()
    {
        foreach (FileSystemWatcher watcher in _watchers)
        {
            watcher.Dispose();
        }
    }

    private void OnChanged(object sender, FileSystemEventArgs e)
    {
        try
        {
            Reload();
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
        {
            // A watcher's thread must not throw (it would end the process): keep the last good identity.
            IdentityLog.ReloadFailed(_logger, Provider.Current.Id.Value, Provider.Current.Certificate.SerialNumber, error.Message);
        }
    }
}
