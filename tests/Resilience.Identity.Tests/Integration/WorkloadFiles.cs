namespace Resilience.Identity.Tests.Integration;

/// <summary>A development CA and a temporary folder for the identity files of one test, both removed after it.</summary>
public abstract class WorkloadFiles : IDisposable
{
    /// <summary>Gets the folder the identity files are written under.</summary>
    internal TempDirectory Files { get; } = new();

    /// <summary>Gets the CA that issues the test's identities.</summary>
    protected DevelopmentCertificateAuthority Ca { get; } = DevelopmentCertificateAuthority.Create("cluster.local");

    /// <inheritdoc/>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Writes a new identity of <paramref name="account"/> (namespace <c>default</c>) to its own folder.</summary>
    protected WorkloadIdentityOptions Write(string account) =>
        DevelopmentCertificateAuthority.WriteFiles(Ca.Issue("default", account), Files.Sub(account));

    /// <summary>Removes the CA's key and the files.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            Ca.Dispose();
            Files.Dispose();
        }
    }
}
