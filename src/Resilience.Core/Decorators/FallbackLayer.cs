using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>
/// The fallbacks of one composition, tried in the order they were added; the first that handles an exception wins.
/// Outermost by default, it is run directly by its composition; placed inside a layer, it is a link of the chain.
/// </summary>
/// <typeparam name="TResult">The result type of the composition's calls.</typeparam>
/// <remarks>
/// An <see cref="OperationCanceledException"/> caused by the token this layer received is never handled: the caller
/// asked to stop, so it gets the cancellation, not a substitute result. As a link of the chain it runs calls of
/// <typeparamref name="TResult"/> only, which its own composition guarantees.
/// </remarks>
internal sealed class FallbackLayer<TResult>(FallbackHandler<TResult>[] handlers) : IResilienceLayer
{
    /// <summary>Runs <paramref name="func"/> under <paramref name="inner"/>, and a fallback if it fails with an exception one handles.</summary>
    /// <remarks>
    /// It never throws: a synchronous throw from inside comes back through the task and is handled there, so the common
    /// path has no exception handler of its own (see <see cref="LayerChain.RunGuardedAsync"/>).
    /// </remarks>
    public ValueTask<TResult> RunAsync<TState>(LayerNode? inner, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
    {
        ValueTask<TResult> pending = LayerChain.RunGuardedAsync(inner, func, state, cancellationToken);
        return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> under <paramref name="inner"/> on the caller's thread, and a fallback if it throws an exception one handles.</summary>
    public TResult Run<TState>(LayerNode? inner, Func<TState, TResult> func, TState state)
    {
        try
        {
            return LayerChain.Run(inner, func, state);
        }
        catch (Exception ex) when (Find(ex, CancellationToken.None) is { } handler)
        {
            return handler.Handle(ex);
        }
    }

    ValueTask<TOther> IAsyncResilienceLayer.ExecuteAsync<TState, TOther>(Func<TState, CancellationToken, ValueTask<TOther>> func, TState state, CancellationToken cancellationToken)
    {
        CheckResultType<TOther>();
        ValueTask<TResult> pending = RunAsync(null, Unsafe.As<Func<TState, CancellationToken, ValueTask<TResult>>>(func), state, cancellationToken);
        return Unsafe.As<ValueTask<TResult>, ValueTask<TOther>>(ref pending);
    }

    TOther IResilienceLayer.Execute<TState, TOther>(Func<TState, TOther> func, TState state)
    {
        CheckResultType<TOther>();
        TResult result = Run(null, Unsafe.As<Func<TState, TResult>>(func), state);
        return Unsafe.As<TResult, TOther>(ref result);
    }

    private static void CheckResultType<TOther>()
    {
        if (typeof(TOther) != typeof(TResult))
        {
            throw new UnreachableException($"A fallback for {typeof(TResult)} ran a call of {typeof(TOther)}; only its own composition runs it.");
        }
    }

    private FallbackHandler<TResult>? Find(Exception exception, CancellationToken cancellationToken)
    {
        if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            return null;
        }

        foreach (FallbackHandler<TResult> handler in handlers)
        {
            if (handler.Predicate(exception))
            {
                return handler;
            }
        }

        return null;
    }

    private async ValueTask<TResult> AwaitAsync(ValueTask<TResult> pending, CancellationToken cancellationToken)
    {
        try
        {
            return await pending.ConfigureAwait(false);
        }
        catch (Exception ex) when (Find(ex, cancellationToken) is { } handler)
        {
            return await handler.HandleAsync(ex, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>One fallback: which exceptions it handles and how, synchronously or asynchronously.</summary>
internal sealed class FallbackHandler<TResult>(
    Func<Exception, bool> predicate,
    Func<Exception, TResult>? handle,
    Func<Exception, CancellationToken, ValueTask<TResult>>? handleAsync)
{
    public Func<Exception, bool> Predicate { get; } = predicate;

    public TResult Handle(Exception exception)
    {
        if (handle is not null)
        {
            return handle(exception);
        }

        // An asynchronous fallback on the synchronous path: the caller chose to block.
        ValueTask<TResult> pending = handleAsync!(exception, CancellationToken.None);
        return pending.IsCompletedSuccessfully ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Runs the fallback; an exception it throws is reported through the task, as a layer must.</summary>
    public ValueTask<TResult> HandleAsync(Exception exception, CancellationToken cancellationToken)
    {
        try
        {
            return handleAsync is not null ? handleAsync(exception, cancellationToken) : new ValueTask<TResult>(handle!(exception));
        }
#pragma warning disable CA1031 // The fallback's own exception is handed back through the task, as an async method would.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return ValueTask.FromException<TResult>(ex);
        }
    }
}
