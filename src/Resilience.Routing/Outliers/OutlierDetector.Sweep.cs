namespace Resilience.Routing.Internal;

/// <summary>The sweep, once per <see cref="OutlierDetectionOptions.Interval"/> (under the detector's lock).</summary>
internal sealed partial class OutlierDetector
{
    private readonly List<(OutlierStatistics Endpoint, double SuccessRate)> _successRateHosts = [];
    private readonly List<(OutlierStatistics Endpoint, double SuccessRate)> _failurePercentageHosts = [];

    /// <summary>
    /// One sweep, as Envoy's interval timer: returns endpoints whose time is up, closes the interval's counts, runs
    /// the success-rate and failure-percentage detectors over them, and decays the multiplier of every endpoint that
    /// is healthy and has been back for at least an interval.
    /// </summary>
    internal void Sweep()
    {
        lock (_lock)
        {
            long now = Now;
            foreach (OutlierStatistics statistics in _endpoints.Values)
            {
                if (statistics.State == OutlierStatistics.Ejected && now >= statistics.EjectedUntil)
                {
                    ReturnToService(statistics, now);
                }

                statistics.RollInterval();
            }

            RunRateDetectorsUnsynchronized();
            foreach (OutlierStatistics statistics in _endpoints.Values)
            {
                long lastReturn = statistics.LastReturn;
                if (statistics.State == OutlierStatistics.Healthy && lastReturn >= 0 && now - lastReturn >= _intervalTicks)
                {
                    statistics.Decay();
                }
            }
        }
    }

    /// <summary>
    /// The success-rate detector: over the healthy endpoints with at least <c>SuccessRateRequestVolume</c> requests
    /// in the last interval, when there are at least <c>SuccessRateMinimumHosts</c> of them, an endpoint whose success
    /// rate (in percent) is below <c>mean − SuccessRateStdevFactor × stdev</c> (population standard deviation) is an
    /// outlier. The failure-percentage detector: over the endpoints with at least <c>FailurePercentageRequestVolume</c>
    /// requests, when there are at least <c>FailurePercentageMinimumHosts</c>, an endpoint whose failure percentage is
    /// at or above <c>FailurePercentageThreshold</c> is an outlier. Both then go through the cap and enforcement.
    /// </summary>
    private void RunRateDetectorsUnsynchronized()
    {
        int hosts = _endpoints.Count;
        if (hosts < _options.SuccessRateMinimumHosts && hosts < _options.FailurePercentageMinimumHosts)
        {
            return;
        }

        _successRateHosts.Clear();
        _failurePercentageHosts.Clear();
        double sum = 0;
        foreach (OutlierStatistics statistics in _endpoints.Values)
        {
            long requests = statistics.LastIntervalRequests;
            if (statistics.State != OutlierStatistics.Healthy || requests == 0)
            {
                continue;
            }

            double successRate = 100.0 * (requests - statistics.LastIntervalFailures) / requests;
            if (requests >= _options.SuccessRateRequestVolume)
            {
                _successRateHosts.Add((statistics, successRate));
                sum += successRate;
            }

            if (requests >= _options.FailurePercentageRequestVolume)
            {
                _failurePercentageHosts.Add((statistics, successRate));
            }
        }

        if (_successRateHosts.Count > 0 && _successRateHosts.Count >= _options.SuccessRateMinimumHosts)
        {
            double mean = sum / _successRateHosts.Count;
            double variance = 0;
            foreach ((_, double rate) in _successRateHosts)
            {
                variance += (rate - mean) * (rate - mean);
            }

            double threshold = mean - (_options.SuccessRateStdevFactor * Math.Sqrt(variance / _successRateHosts.Count));
            foreach ((OutlierStatistics endpoint, double rate) in _successRateHosts)
            {
                if (rate < threshold)
                {
                    TryEject(endpoint, EjectionReason.SuccessRate, _options.EnforcingSuccessRate);
                }
            }
        }

        if (_failurePercentageHosts.Count > 0 && _failurePercentageHosts.Count >= _options.FailurePercentageMinimumHosts)
        {
            foreach ((OutlierStatistics endpoint, double rate) in _failurePercentageHosts)
            {
                if (100.0 - rate >= _options.FailurePercentageThreshold)
                {
                    TryEject(endpoint, EjectionReason.FailurePercentage, _options.EnforcingFailurePercentage);
                }
            }
        }
    }
}
