namespace Resilience.Discovery.Tests.Integration;

/// <summary>
/// A fact that needs a real etcd (Debian's <c>etcd-server</c>). Where <c>etcd</c> is not on PATH it is skipped with
/// the command that installs it, except under <c>CI=true</c>, where it runs and fails: CI must never pass by skipping.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class EtcdFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="EtcdFactAttribute"/> class.</summary>
    public EtcdFactAttribute()
    {
        if (EtcdServer.FindExecutable() is null && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = "etcd is not installed: apt-get install -y etcd-server (under CI=true this test fails instead of being skipped).";
        }
    }
}
