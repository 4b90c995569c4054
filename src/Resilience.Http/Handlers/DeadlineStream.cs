using Resilience.Http.Internal;

namespace Resilience.Http.Handlers;

/// <summary>The stream of a <see cref="DeadlineContent"/>: every read ends by the deadline of the total time limit.</summary>
/// <remarks>
/// The deadline starts with the first read, linked to that read's token, and is kept for the following reads with
/// the same token (as <see cref="Stream.CopyToAsync(Stream, int, CancellationToken)"/> makes them); a read with
/// another token that can be cancelled links the two for that read. A blocking read is bounded by disposing the
/// inner stream at the deadline.
/// </remarks>
internal sealed class DeadlineStream(Stream inner, DeadlineContent owner) : Stream
{
    private BodyDeadline? _deadline;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        BodyDeadline deadline = _deadline ??= owner.StartDeadline(cancellationToken);
        if (deadline.IsExpired)
        {
            return ValueTask.FromException<int>(owner.TimedOut(null));
        }

        if (!cancellationToken.CanBeCanceled || cancellationToken == deadline.Reader)
        {
            ValueTask<int> read = inner.ReadAsync(buffer, deadline.Token);
            return read.IsCompletedSuccessfully ? read : AwaitAsync(read, deadline);
        }

        return ReadLinkedAsync(buffer, deadline, cancellationToken);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(Span<byte> buffer)
    {
        BodyDeadline deadline = _deadline ??= owner.StartDeadline(CancellationToken.None);
        if (deadline.IsExpired)
        {
            throw owner.TimedOut(null);
        }

        using CancellationTokenRegistration abort = deadline.Token.UnsafeRegister(static s => ((Stream)s!).Dispose(), inner);
        try
        {
            return inner.Read(buffer);
        }
        catch (Exception ex) when (deadline.IsExpired)
        {
            throw owner.TimedOut(ex);
        }
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
            _deadline?.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<int> AwaitAsync(ValueTask<int> read, BodyDeadline deadline)
    {
        try
        {
            return await read.ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsExpired)
        {
            throw owner.TimedOut(ex);
        }
    }

    private async ValueTask<int> ReadLinkedAsync(Memory<byte> buffer, BodyDeadline deadline, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            return await inner.ReadAsync(buffer, linked.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (deadline.IsExpired && !cancellationToken.IsCancellationRequested)
        {
            throw owner.TimedOut(ex);
        }
    }
}
