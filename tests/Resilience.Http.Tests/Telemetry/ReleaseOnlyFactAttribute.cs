namespace Resilience.Http.Tests.Telemetry;

/// <summary>
/// A fact that asserts allocations: it runs on optimized (Release) builds only. A Debug build compiles every async
/// method's state machine as a class, which allocates even when the method completes synchronously, so a byte count
/// measured there says nothing about the code users run.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ReleaseOnlyFactAttribute : FactAttribute
{
    /// <summary>Initializes a new instance of the <see cref="ReleaseOnlyFactAttribute"/> class.</summary>
    public ReleaseOnlyFactAttribute()
    {
#if DEBUG
        Skip = "Allocation counts are measured on Release builds only (dotnet test Resilience.sln -c Release).";
#endif
    }
}
