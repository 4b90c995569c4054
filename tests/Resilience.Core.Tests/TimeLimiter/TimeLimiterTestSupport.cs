using Microsoft.Extensions.Time.Testing;
using Limiter = Resilience.TimeLimiter;

namespace Resilience.Tests.TimeLimiter;

/// <summary>Shared helpers: limiters on a fake clock, and bounded waits on tasks (never timing assertions).</summary>
internal static class TimeLimiterTestSupport
{
    public const string Name = "tl";

    /// <summary>A safety bound for waiting on a task that is expected to be complete already or very soon.</summary>
    public static readonly TimeSpan SafetyWait = TimeSpan.FromSeconds(10);

    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan JustBefore = Limit - TimeSpan.FromMilliseconds(1);

    public static readonly TimeSpan OneMillisecond = TimeSpan.FromMilliseconds(1);

    public static Limiter Create(TimeProvider time, TimeSpan? timeout = null, bool cancelRunningTask = true) =>
        new(Name, new TimeLimiterOptions { TimeoutDuration = timeout ?? Limit, CancelRunningTask = cancelRunningTask }, time);

    public static FakeTimeProvider NewClock() => new(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));

    /// <summary>Waits (bounded) for a task and returns its exception, or null if it succeeded.</summary>
    public static async Task<Exception?> CaptureAsync(Task task)
    {
        try
        {
            await task.WaitAsync(SafetyWait);
            return null;
        }
        catch (Exception ex) when (ex is not TimeoutException || ex is TimeLimiterTimeoutException)
        {
            return ex;
        }
    }

    public static Task<Exception?> CaptureAsync(ValueTask task) => CaptureAsync(task.AsTask());

    public static Task<Exception?> CaptureAsync<T>(ValueTask<T> task) => CaptureAsync(task.AsTask());
}
