using System.Threading.RateLimiting;

namespace Resilience;

public sealed partial class RequestRateLimiter
{
    /// <summary>How long the limiter has been full (every permit of a period available, nobody waiting), or <see langword="null"/> if it is not.</summary>
    private TimeSpan? IdleDuration()
    {
        long rebase = Volatile.Read(ref _rebaseCycle);
        long word = Read(out LimiterConfig config, out long units, out long cycle, out long available);
        if (available < config.Limit || Volatile.Read(ref _waitingCallers) != 0)
        {
            return null;
        }

        long active = Math.Min(ActiveCycle(word, rebase), cycle);
        long permissions = (int)word;
        long fullSince = permissions >= config.Limit ? active : active + ((config.Limit - permissions + config.Limit - 1) / config.Limit);
        Int128 idleUnits = (Int128)units - ((Int128)Math.Min(fullSince, cycle) * _periodUnits);
        return TimeSpan.FromTicks((long)(idleUnits / _unitsPerTick));
    }

    /// <summary>The <see cref="System.Threading.RateLimiting.RateLimiter"/> view of a <see cref="RequestRateLimiter"/>.</summary>
    private sealed class RateLimiterAdapter : RateLimiter
    {
        private static readonly RateLimitLease Success = new Lease(acquired: true, limiter: null, retryAfterTicks: 0);

        private readonly RequestRateLimiter _limiter;
        private readonly Lease _failedOne;
        private long _successfulLeases;
        private long _failedLeases;

        public RateLimiterAdapter(RequestRateLimiter limiter)
        {
            _limiter = limiter;
            _failedOne = new Lease(acquired: false, limiter, retryAfterTicks: 0);
        }

        public override TimeSpan? IdleDuration => _limiter.IdleDuration();

        public override RateLimiterStatistics? GetStatistics() => new()
        {
            CurrentAvailablePermits = Math.Max(_limiter.GetMetrics().AvailablePermissions, 0),
            CurrentQueuedCount = Volatile.Read(ref _limiter._waitingCallers),
            TotalSuccessfulLeases = Volatile.Read(ref _successfulLeases),
            TotalFailedLeases = Volatile.Read(ref _failedLeases),
        };

        protected override RateLimitLease AttemptAcquireCore(int permitCount)
        {
            if (permitCount == 0)
            {
                return _limiter.GetMetrics().AvailablePermissions > 0 ? Succeeded() : Failed(1, 0);
            }

            Grant grant = _limiter.Reserve(permitCount, mayWait: false, out long waitTicks, out _);
            _limiter.Publish(grant == Grant.Now ? RequestRateLimiterEventType.SuccessfulAcquire : RequestRateLimiterEventType.FailedAcquire, permitCount);
            return grant == Grant.Now ? Succeeded() : Failed(permitCount, waitTicks);
        }

        protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            if (permitCount == 0)
            {
                return new ValueTask<RateLimitLease>(AttemptAcquireCore(0));
            }

            switch (_limiter.Reserve(permitCount, mayWait: true, out long waitTicks, out Ticket ticket))
            {
                case Grant.Refused:
                    _limiter.Publish(RequestRateLimiterEventType.FailedAcquire, permitCount);
                    return new ValueTask<RateLimitLease>(Failed(permitCount, waitTicks));
                case Grant.Reserved:
                    return WaitAsync(permitCount, waitTicks, ticket, cancellationToken);
                default:
                    _limiter.Publish(RequestRateLimiterEventType.SuccessfulAcquire, permitCount);
                    return new ValueTask<RateLimitLease>(Succeeded());
            }
        }

        private async ValueTask<RateLimitLease> WaitAsync(int permitCount, long waitTicks, Ticket ticket, CancellationToken cancellationToken)
        {
            await _limiter.WaitForReservationAsync(permitCount, waitTicks, ticket, cancellationToken).ConfigureAwait(false);
            return Succeeded();
        }

        private RateLimitLease Succeeded()
        {
            Interlocked.Increment(ref _successfulLeases);
            return Success;
        }

        private Lease Failed(int permitCount, long waitTicks)
        {
            Interlocked.Increment(ref _failedLeases);

            // The lease for one permit is cached and works its retry-after out when asked; others carry their wait.
            return permitCount == 1 ? _failedOne : new Lease(acquired: false, limiter: null, waitTicks);
        }
    }

    /// <summary>A lease with no resources to release: a rate limiter's permits are spent, never returned.</summary>
    private sealed class Lease(bool acquired, RequestRateLimiter? limiter, long retryAfterTicks) : RateLimitLease
    {
        private static readonly string[] RetryAfterName = [MetadataName.RetryAfter.Name];

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => acquired ? [] : RetryAfterName;

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            if (acquired || metadataName != MetadataName.RetryAfter.Name)
            {
                return false;
            }

            long ticks = limiter is null ? retryAfterTicks : limiter.GetMetrics().TimeUntilPermission.Ticks;
            if (ticks == long.MaxValue)
            {
                return false;
            }

            metadata = TimeSpan.FromTicks(ticks);
            return true;
        }
    }
}
