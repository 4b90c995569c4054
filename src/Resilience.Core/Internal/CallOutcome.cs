namespace Resilience.Internal;

/// <summary>The four disjoint kinds of recorded call. <see cref="None"/> marks an empty window slot.</summary>
internal enum CallOutcome : byte
{
    None = 0,
    Success = 1,
    Failure = 2,
    SlowSuccess = 3,
    SlowFailure = 4,
}

/// <summary>Counts of one window at one instant. The four fields always satisfy the window invariants.</summary>
internal readonly record struct WindowCounts(long Total, long Failed, long Slow, long SlowFailed)
{
    public bool IsConsistent =>
        Total >= 0 && Failed >= 0 && Slow >= 0 && SlowFailed >= 0
        && Failed <= Total && Slow <= Total && SlowFailed <= Failed && SlowFailed <= Slow;
}
