using System.Collections.Concurrent;
using Breaker = Resilience.CircuitBreaker;

namespace Resilience.Tests.Registry;

/// <summary>Get-or-create under contention, and the factory contract of <see cref="ResilienceRegistry{TInstance, TOptions}"/>.</summary>
public class ResilienceRegistryConcurrencyTests
{
    [Fact]
    public void GetOrCreate_ManyThreadsSameName_CreatesOneInstanceAndOneEvent()
    {
        const int threads = 8;
        const int rounds = 200;
        var registry = new CircuitBreakerRegistry();
        var added = new ConcurrentDictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        registry.EntryAdded += e => added.AddOrUpdate(e.Name, 1, (_, n) => n + 1);
        var results = new Breaker[threads];
        using var barrier = new Barrier(threads + 1);
        var workers = new Thread[threads];
        for (int t = 0; t < threads; t++)
        {
            int index = t;
            workers[t] = new Thread(() =>
            {
                for (int round = 0; round < rounds; round++)
                {
                    barrier.SignalAndWait();
                    string name = (index % 2 == 0 ? "breaker-" : "BREAKER-") + round;
                    results[index] = index % 3 == 0 ? registry.GetOrCreate(name, new CircuitBreakerOptions()) : registry.GetOrCreate(name);
                    barrier.SignalAndWait();
                }
            });
            workers[t].Start();
        }

        var failures = new List<string>();
        for (int round = 0; round < rounds; round++)
        {
            barrier.SignalAndWait();
            barrier.SignalAndWait();
            if (results.Distinct().Count() != 1)
            {
                failures.Add($"round {round}: {results.Distinct().Count()} instances");
            }
        }

        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        failures.Should().BeEmpty();
        registry.Count.Should().Be(rounds);
        added.Should().HaveCount(rounds);
        added.Values.Should().AllSatisfy(n => n.Should().Be(1));
    }

    [Fact]
    public void GetOrCreate_ManyThreadsSameName_InvokesFactoryOnce()
    {
        const int threads = 8;
        var registry = new CountingRegistry();
        using var start = new ManualResetEventSlim();
        var results = new ConcurrentBag<object>();
        Thread[] workers = Enumerable.Range(0, threads).Select(_ => new Thread(() =>
        {
            start.Wait();
            for (int i = 0; i < 100; i++)
            {
                results.Add(registry.GetOrCreate("name-" + i));
            }
        })).ToArray();
        foreach (Thread worker in workers)
        {
            worker.Start();
        }

        start.Set();
        foreach (Thread worker in workers)
        {
            worker.Join();
        }

        registry.Created.Should().Be(100);
        results.Distinct().Should().HaveCount(100);
    }

    [Fact]
    public void GetOrCreate_FactoryThrows_DoesNotCacheTheFailure()
    {
        var registry = new CountingRegistry { FailNext = true };
        int added = 0;
        registry.EntryAdded += _ => added++;

        Action act = () => registry.GetOrCreate("a");

        act.Should().Throw<InvalidOperationException>();
        registry.Count.Should().Be(0);
        registry.GetOrCreate("a").Should().NotBeNull();
        added.Should().Be(1);
    }

    private sealed class CountingRegistry() : ResilienceRegistry<object, string>("defaults")
    {
        private int _created;

        public int Created => Volatile.Read(ref _created);

        public bool FailNext { get; set; }

        protected override object CreateInstance(string name, string options)
        {
            Interlocked.Increment(ref _created);
            if (FailNext)
            {
                FailNext = false;
                throw new InvalidOperationException("factory failed");
            }

            return new object();
        }

        protected override string CloneOptions(string options) => options;

        protected override void ValidateOptions(string options)
        {
        }
    }
}
