using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using Resilience.Identity.Internal;

namespace Resilience.Identity.Tests.Internal;

public sealed class IdentityFileWatcherTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    private readonly TempDirectory _files = new();
    private readonly DevelopmentCertificateAuthority _ca = DevelopmentCertificateAuthority.Create("cluster.local");
    private readonly CapturingLogger _logger = new();

    public void Dispose()
    {
        _ca.Dispose();
        _files.Dispose();
    }

    [Fact]
    public async Task Reload_CertificateWrittenBeforeItsKey_KeepsLastGoodThenPublishesTheConsistentPair()
    {
        WorkloadIdentity first = _ca.Issue("default", "order");
        WorkloadIdentityOptions options = DevelopmentCertificateAuthority.WriteFiles(first, _files.Path);
        using var watcher = new IdentityFileWatcher(options, "Identity:", TimeProvider.System, _logger);
        WorkloadIdentity second = _ca.Issue("default", "order");
        WorkloadIdentityOptions staged = DevelopmentCertificateAuthority.WriteFiles(second, _files.Sub("staged"));
        Task changed = Changed(watcher.Provider.GetChangeToken());

        File.Copy(staged.CertificateFile!, options.CertificateFile!, overwrite: true);
        watcher.Reload();

        watcher.Provider.Current.Certificate.SerialNumber.Should().Be(first.Certificate.SerialNumber);
        changed.IsCompleted.Should().BeFalse();
        _logger.Warnings.Should().Contain(w => w.Contains("keeping spiffe://cluster.local/ns/default/sa/order", StringComparison.Ordinal) && w.Contains("Identity:KeyFile", StringComparison.Ordinal));

        File.Copy(staged.KeyFile!, options.KeyFile!, overwrite: true);
        await changed.WaitAsync(Bound);

        watcher.Provider.Current.Certificate.SerialNumber.Should().Be(second.Certificate.SerialNumber);
    }

    [Fact]
    public async Task Reload_FilesRewrittenUnchanged_NoChange()
    {
        WorkloadIdentity first = _ca.Issue("default", "order");
        WorkloadIdentityOptions options = DevelopmentCertificateAuthority.WriteFiles(first, _files.Path);
        using var watcher = new IdentityFileWatcher(options, "Identity:", TimeProvider.System, _logger);
        WorkloadIdentity current = watcher.Provider.Current;
        IChangeToken token = watcher.Provider.GetChangeToken();

        DevelopmentCertificateAuthority.WriteFiles(first, _files.Path);
        watcher.Reload();

        token.HasChanged.Should().BeFalse();
        watcher.Provider.Current.Should().BeSameAs(current);
        await Task.CompletedTask;
    }

    [Fact]
    public void Constructor_FilesInvalid_ThrowsWithTheErrors()
    {
        var options = new WorkloadIdentityOptions { CertificateFile = _files.Sub("cert.pem"), KeyFile = _files.Sub("key.pem"), TrustBundleFile = _files.Sub("bundle.pem") };

        Action act = () => _ = new IdentityFileWatcher(options, "Identity:", TimeProvider.System, _logger);

        act.Should().Throw<InvalidOperationException>().WithMessage("*Identity:CertificateFile is '*', but no such file exists*");
    }

    private static Task Changed(IChangeToken token)
    {
        var changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        token.RegisterChangeCallback(static state => ((TaskCompletionSource)state!).TrySetResult(), changed);
        return changed.Task;
    }

    private sealed class CapturingLogger : ILogger
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<string> _warnings = new();

        public IEnumerable<string> Warnings => _warnings;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel == LogLevel.Warning)
            {
                _warnings.Enqueue(formatter(state, exception));
            }
        }
    }
}
