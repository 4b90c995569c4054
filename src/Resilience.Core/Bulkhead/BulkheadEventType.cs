namespace Resilience;

/// <summary>The kinds of <see cref="BulkheadEvent"/>.</summary>
public enum BulkheadEventType
{
    /// <summary>A call got a permit, at once or after waiting.</summary>
    CallPermitted = 0,

    /// <summary>A call was refused: no permit was free, or none became free within the maximum wait.</summary>
    CallRejected = 1,

    /// <summary>A permitted call finished, successfully or not, and gave its permit back.</summary>
    CallFinished = 2,
}
