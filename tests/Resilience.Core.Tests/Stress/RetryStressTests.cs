using Microsoft.Extensions.Time.Testing;
using static Resilience.Tests.Stress.ConcurrentRunner;
using RetryPrimitive = Resilience.Retry;

namespace Resilience.Tests.Stress;

[Collection(StressTestGroup.Name)]
public class RetryStressTests
{
    private const int CallsPerThread = 5_000;

    [Fact]
    public void Execute_ManyThreadsShareOneRetry_MetricsAreExact()
    {
        var retry = new RetryPrimitive("stress", new RetryOptions
        {
            MaxAttempts = 3,
            WaitDuration = TimeSpan.Zero,
            BackoffType = RetryBackoffType.DecorrelatedJitter,
            IgnoreExceptions = { typeof(ArgumentException) },
            RetryResultPredicate = r => r is -1,
        }, new FakeTimeProvider());
        long retryEvents = 0;
        retry.Events.Retry += _ => Interlocked.Increment(ref retryEvents);
        var failure = new InvalidOperationException("retryable");
        var fatal = new ArgumentException("not retried");

        Run(Threads, _ =>
        {
            for (int i = 0; i < CallsPerThread; i++)
            {
                int kind = i % 5;
                int attempt = 0;
                Func<int> func = kind switch
                {
                    0 => () => 1,                                                 // success, 1 attempt
                    1 => () => ++attempt < 2 ? throw failure : 1,                 // success after 1 retry, 2 attempts
                    2 => () => throw failure,                                     // exhausted, 3 attempts
                    3 => () => ++attempt < 3 ? -1 : throw fatal,                  // results retried, then not retryable: 3 attempts
                    _ => () => -1,                                                // exhausted by results, 3 attempts
                };
                try
                {
                    _ = i % 2 == 0 ? retry.Execute(func) : retry.ExecuteAsync(_ => new ValueTask<int>(func())).AsTask().GetAwaiter().GetResult();
                }
                catch (InvalidOperationException)
                {
                }
                catch (ArgumentException)
                {
                }
            }
        });

        long perKind = (long)Threads * CallsPerThread / 5;
        retry.GetMetrics().Should().Be(new RetryMetrics
        {
            NumberOfSuccessfulCallsWithoutRetryAttempt = perKind,
            NumberOfSuccessfulCallsWithRetryAttempt = perKind,
            NumberOfFailedCallsWithoutRetryAttempt = 0,
            NumberOfFailedCallsWithRetryAttempt = 3 * perKind,
            NumberOfTotalAttempts = perKind * (1 + 2 + 3 + 3 + 3),
        });
        Interlocked.Read(ref retryEvents).Should().Be(perKind * (0 + 1 + 2 + 2 + 2));
    }
}
