using Microsoft.Extensions.Time.Testing;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Retry;

/// <summary>Builders and helpers shared by the retry tests.</summary>
internal static class RetryTestSupport
{
    /// <summary>A bound on waits for another thread, so that a bug fails the test instead of hanging it.</summary>
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Spins until <paramref name="condition"/> holds, failing the test after <see cref="SafetyTimeout"/>.</summary>
    public static void WaitUntil(Func<bool> condition, string because) =>
        SpinWait.SpinUntil(condition, SafetyTimeout).Should().BeTrue(because);

    /// <summary>A retry that never waits, with a fake clock that nobody needs to advance.</summary>
    public static RetryPrimitive NoWait(int maxAttempts = 3, Action<RetryOptions>? configure = null, Func<double>? random = null)
    {
        var options = new RetryOptions { MaxAttempts = maxAttempts, WaitDuration = TimeSpan.Zero };
        configure?.Invoke(options);
        return new RetryPrimitive("test", options, new FakeTimeProvider(), random ?? (() => 0.5));
    }

    /// <summary>Returns the values of <paramref name="values"/> one after the other, as an injected source of randomness.</summary>
    public static Func<double> Sequence(params double[] values)
    {
        int next = 0;
        return () => values[next++ % values.Length];
    }

    /// <summary>A function that throws <paramref name="failures"/> times, then returns <paramref name="result"/>.</summary>
    public static Func<int> FailThenReturn(int failures, int result = 42, Func<Exception>? exception = null)
    {
        int calls = 0;
        return () => ++calls <= failures ? throw (exception?.Invoke() ?? new InvalidOperationException("attempt " + calls)) : result;
    }

    /// <summary>Collects every event of <paramref name="retry"/>.</summary>
    public static List<RetryEvent> Record(this RetryPrimitive retry)
    {
        var events = new List<RetryEvent>();
        retry.Events.Any += e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        return events;
    }

    public static RetryMetrics Metrics(long successWithout = 0, long successWith = 0, long failedWithout = 0, long failedWith = 0, long attempts = 0) => new()
    {
        NumberOfSuccessfulCallsWithoutRetryAttempt = successWithout,
        NumberOfSuccessfulCallsWithRetryAttempt = successWith,
        NumberOfFailedCallsWithoutRetryAttempt = failedWithout,
        NumberOfFailedCallsWithRetryAttempt = failedWith,
        NumberOfTotalAttempts = attempts,
    };

    /// <summary>A result that records whether it was disposed.</summary>
    public sealed class Disposable(int value) : IDisposable
    {
        public int Value { get; } = value;

        public bool Disposed { get; private set; }

        public void Dispose() => Disposed = true;
    }

    /// <summary>A result that records whether it was disposed asynchronously or synchronously.</summary>
    public sealed class AsyncDisposable(int value) : IAsyncDisposable, IDisposable
    {
        public int Value { get; } = value;

        public bool DisposedAsync { get; private set; }

        public bool DisposedSync { get; private set; }

        public ValueTask DisposeAsync()
        {
            DisposedAsync = true;
            return default;
        }

        public void Dispose() => DisposedSync = true;
    }
}
