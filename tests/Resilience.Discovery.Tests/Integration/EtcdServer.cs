using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using dotnet_etcd;
using Etcdserverpb;

namespace Resilience.Discovery.Tests.Integration;

/// <summary>
/// A single-node etcd started by the test on loopback, with ephemeral client and peer ports and a temporary data
/// directory; stopped by its process id. <see cref="KillAsync"/> and <see cref="StartAgainAsync"/> take it down and
/// bring it back on the same ports and data, as an outage of the registry does.
/// </summary>
internal sealed class EtcdServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private readonly string _executable;
    private readonly string _dataDirectory;
    private readonly int _clientPort;
    private readonly int _peerPort;
    private readonly EtcdCertificates? _tls;
    private Process? _process;

    private EtcdServer(string executable, EtcdCertificates? tls)
    {
        _executable = executable;
        _tls = tls;
        _dataDirectory = Path.Combine(Path.GetTempPath(), "resilience-etcd-" + Guid.NewGuid().ToString("N"));
        _clientPort = FreePort();
        _peerPort = FreePort();
    }

    /// <summary>Gets the client URL, such as <c>http://127.0.0.1:40123</c>, or <c>https://</c> with TLS.</summary>
    public string ClientUrl => $"{(_tls is null ? "http" : "https")}://127.0.0.1:{_clientPort}";

    /// <summary>The path of <c>etcd</c> on PATH, or <see langword="null"/>.</summary>
    public static string? FindExecutable() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "etcd"))
            .FirstOrDefault(File.Exists);

    /// <summary>Starts etcd; with <paramref name="tls"/>, its client URL is https and it requires a client certificate signed by the CA.</summary>
    public static async Task<EtcdServer> StartAsync(EtcdCertificates? tls = null)
    {
        string executable = FindExecutable()
            ?? throw new InvalidOperationException("etcd is not on PATH: apt-get install -y etcd-server (CI=true requires it).");
        var server = new EtcdServer(executable, tls);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process (again) on the same ports and data directory and waits until it answers.</summary>
    public async Task StartAgainAsync()
    {
        string peer = $"http://127.0.0.1:{_peerPort}";
        var start = new ProcessStartInfo(_executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])[
            "--name", "test", "--data-dir", _dataDirectory,
            "--listen-client-urls", ClientUrl, "--advertise-client-urls", ClientUrl,
            "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
            "--initial-cluster", "test=" + peer, "--log-level", "error"])
        {
            start.ArgumentList.Add(argument);
        }

        if (_tls is not null)
        {
            foreach (string argument in (string[])[
                "--cert-file", _tls.ServerCertificateFile, "--key-file", _tls.ServerKeyFile,
                "--trusted-ca-file", _tls.CaFile, "--client-cert-auth"])
            {
                start.ArgumentList.Add(argument);
            }
        }

        Process process = Process.Start(start) ?? throw new InvalidOperationException("etcd did not start.");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitHealthyAsync(process);
    }

    /// <summary>
    /// Creates the user <c>root</c> with <paramref name="password"/> and turns authentication on, through etcd's own
    /// auth API (so the tests need no <c>etcdctl</c>, which Debian ships in another package).
    /// </summary>
    public async Task EnableAuthenticationAsync(string password)
    {
        if (_tls is not null)
        {
            throw new NotSupportedException("Authentication is turned on over the plain client URL only.");
        }

        using var client = new EtcdClient(ClientUrl);
        Auth.AuthClient auth = client.GetConnection().AuthClient;
        await auth.UserAddAsync(new AuthUserAddRequest { Name = "root", Password = password }).ResponseAsync.WaitAsync(StartTimeout);
        await auth.RoleAddAsync(new AuthRoleAddRequest { Name = "root" }).ResponseAsync.WaitAsync(StartTimeout);
        await auth.UserGrantRoleAsync(new AuthUserGrantRoleRequest { User = "root", Role = "root" }).ResponseAsync.WaitAsync(StartTimeout);
        await auth.AuthEnableAsync(new AuthEnableRequest()).ResponseAsync.WaitAsync(StartTimeout);
    }

    /// <summary>Kills the process (SIGKILL) and waits for it to exit.</summary>
    public async Task KillAsync()
    {
        Process? process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync().WaitAsync(StartTimeout);
        process.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A temporary directory; the machine cleans it up if a file is still held.
        }
    }

    private async Task WaitHealthyAsync(Process process)
    {
        using var handler = new SocketsHttpHandler();
        if (_tls is not null)
        {
            // The test's own client certificate, as etcd requires it; the server is this fixture's own process, whose
            // certificate the test's CA issued (this file is shared with the samples' tests, which cannot see EtcdTls).
            var authority = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            authority.ImportFromPemFile(_tls.CaFile);
            string caSubject = authority[0].Subject;
            handler.SslOptions.ClientCertificates = [System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(_tls.ClientCertificateFile, _tls.ClientKeyFile)];
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate?.Issuer == caSubject;
        }

        using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(2) };
        using var deadline = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"etcd exited with code {process.ExitCode} before answering on {ClientUrl}.");
            }

            try
            {
                using HttpResponseMessage response = await client.GetAsync(ClientUrl + "/health", deadline.Token);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            // Poll the observable state (the health endpoint), bounded by the deadline.
            await Task.Delay(50, deadline.Token);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
