namespace Resilience.Http.Internal;

/// <summary>
/// What is left of a time limit, applied to reading a response body: a cancellation source that the clock of the
/// time provider cancels at the deadline, linked to the reader's own token.
/// </summary>
/// <remarks>
/// With <see cref="TimeProvider.System"/> the timer is the source's own (<see cref="CancellationTokenSource.CancelAfter(TimeSpan)"/>);
/// with another provider it is one of that provider's timers. A deadline already passed cancels the source at once.
/// Disposing the deadline stops its timer.
/// </remarks>
internal sealed class BodyDeadline : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly CancellationToken _reader;
    private readonly ITimer? _timer;

    public BodyDeadline(TimeProvider timeProvider, TimeSpan remaining, CancellationToken reader)
    {
        _reader = reader;
        _source = reader.CanBeCanceled ? CancellationTokenSource.CreateLinkedTokenSource(reader) : new CancellationTokenSource();
        if (remaining <= TimeSpan.Zero)
        {
            _source.Cancel();
        }
        else if (ReferenceEquals(timeProvider, TimeProvider.System))
        {
            _source.CancelAfter(remaining);
        }
        else
        {
            _timer = timeProvider.CreateTimer(static s => ((BodyDeadline)s!).Expire(), this, remaining, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Gets the token to read with: cancelled at the deadline or by the reader.</summary>
    public CancellationToken Token => _source.Token;

    /// <summary>Gets the reader's own token, which this deadline is linked to.</summary>
    public CancellationToken Reader => _reader;

    /// <summary>Gets whether the deadline passed (and the reader did not cancel).</summary>
    public bool IsExpired => _source.IsCancellationRequested && !_reader.IsCancellationRequested;

    public void Dispose()
    {
        _timer?.Dispose();
        _source.Dispose();
    }

    private void Expire()
    {
        try
        {
            _source.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The body was read, or the response disposed, as the timer fired.
        }
    }
}
