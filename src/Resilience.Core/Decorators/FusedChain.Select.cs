using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Runs one built-in primitive's asynchronous core; a type argument of a fused chain's runner names it.</summary>
internal interface ILayerInvoker
{
    /// <summary>Runs <paramref name="operation"/> under <paramref name="layer"/>, which is of this invoker's kind.</summary>
    static abstract ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult>;
}

/// <summary>Runs a <see cref="Retry"/>.</summary>
internal readonly struct RetryInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<Retry>(layer).RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs a <see cref="CircuitBreaker"/>.</summary>
internal readonly struct CircuitBreakerInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<CircuitBreaker>(layer).RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs a <see cref="RequestRateLimiter"/>.</summary>
internal readonly struct RateLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<RequestRateLimiter>(layer).RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs a <see cref="TimeLimiter"/>.</summary>
internal readonly struct TimeLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<TimeLimiter>(layer).RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs a <see cref="Bulkhead"/>.</summary>
internal readonly struct BulkheadInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<Bulkhead>(layer).RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs the <see cref="Retry"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedRetryInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<IForwardingLayer<Retry>>(layer).Target.RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs the <see cref="CircuitBreaker"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedCircuitBreakerInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<IForwardingLayer<CircuitBreaker>>(layer).Target.RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs the <see cref="RequestRateLimiter"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedRateLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<IForwardingLayer<RequestRateLimiter>>(layer).Target.RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs the <see cref="TimeLimiter"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedTimeLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<IForwardingLayer<TimeLimiter>>(layer).Target.RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>Runs the <see cref="Bulkhead"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedBulkheadInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TOperation, TState, TResult>(IAsyncResilienceLayer layer, TOperation operation, TState state, CancellationToken cancellationToken)
        where TOperation : struct, IAsyncOperation<TState, TResult> =>
        Unsafe.As<IForwardingLayer<Bulkhead>>(layer).Target.RunAsync<TOperation, TState, TResult>(operation, state, cancellationToken);
}

/// <summary>The runners, one per chain length, and the selection of a shape's runner.</summary>
internal sealed unsafe partial class FusedChain
{
    /// <summary>Picks the invoker of the layer at <paramref name="depth"/> and hands it to <typeparamref name="TSelect"/>, which picks the rest.</summary>
    private static nint Select<TSelect, TState, TResult>(FusedChain chain, int depth)
        where TSelect : struct, ISelect<TState, TResult> => chain._kinds[depth] switch
        {
            LayerKind.Retry => TSelect.Next<RetryInvoker>(chain),
            LayerKind.CircuitBreaker => TSelect.Next<CircuitBreakerInvoker>(chain),
            LayerKind.RateLimiter => TSelect.Next<RateLimiterInvoker>(chain),
            LayerKind.TimeLimiter => TSelect.Next<TimeLimiterInvoker>(chain),
            LayerKind.Bulkhead => TSelect.Next<BulkheadInvoker>(chain),
            LayerKind.Retry | Forwarded => TSelect.Next<ForwardedRetryInvoker>(chain),
            LayerKind.CircuitBreaker | Forwarded => TSelect.Next<ForwardedCircuitBreakerInvoker>(chain),
            LayerKind.RateLimiter | Forwarded => TSelect.Next<ForwardedRateLimiterInvoker>(chain),
            LayerKind.TimeLimiter | Forwarded => TSelect.Next<ForwardedTimeLimiterInvoker>(chain),
            LayerKind.Bulkhead | Forwarded => TSelect.Next<ForwardedBulkheadInvoker>(chain),
            _ => throw new UnreachableException($"A fused chain holds built-in primitives only, not {chain._kinds[depth]}."),
        };

    private static ValueTask<TResult> Run2<T1, T2, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker =>
        Layer<First, T1, Layer<Second, T2, Caller>>.RunAsync(chain, func, state, cancellationToken);

    private static ValueTask<TResult> Run3<T1, T2, T3, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker =>
        Layer<First, T1, Layer<Second, T2, Layer<Third, T3, Caller>>>.RunAsync(chain, func, state, cancellationToken);

    private static ValueTask<TResult> Run4<T1, T2, T3, T4, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker =>
        Layer<First, T1, Layer<Second, T2, Layer<Third, T3, Layer<Fourth, T4, Caller>>>>.RunAsync(chain, func, state, cancellationToken);

    private static ValueTask<TResult> Run5<T1, T2, T3, T4, T5, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker
        where T5 : struct, ILayerInvoker =>
        Layer<First, T1, Layer<Second, T2, Layer<Third, T3, Layer<Fourth, T4, Layer<Fifth, T5, Caller>>>>>.RunAsync(chain, func, state, cancellationToken);

    /// <summary>The address of a runner, as the cache keeps it.</summary>
    private static nint Address<TState, TResult>(delegate*<FusedChain, Func<TState, CancellationToken, ValueTask<TResult>>, TState, CancellationToken, ValueTask<TResult>> runner) =>
        (nint)runner;

    /// <summary>Knows the invokers of the outer layers, and picks the runner once it is given the next one.</summary>
    private interface ISelect<TState, TResult>
    {
        static abstract nint Next<TNext>(FusedChain chain)
            where TNext : struct, ILayerInvoker;
    }

    private readonly struct SelectFirst<TState, TResult> : ISelect<TState, TResult>
    {
        public static nint Next<T1>(FusedChain chain)
            where T1 : struct, ILayerInvoker => Select<SelectSecond<T1, TState, TResult>, TState, TResult>(chain, 1);
    }

    private readonly struct SelectSecond<T1, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
    {
        public static nint Next<T2>(FusedChain chain)
            where T2 : struct, ILayerInvoker =>
            chain.Length == 2 ? Address<TState, TResult>(&Run2<T1, T2, TState, TResult>) : Select<SelectThird<T1, T2, TState, TResult>, TState, TResult>(chain, 2);
    }

    private readonly struct SelectThird<T1, T2, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
    {
        public static nint Next<T3>(FusedChain chain)
            where T3 : struct, ILayerInvoker =>
            chain.Length == 3 ? Address<TState, TResult>(&Run3<T1, T2, T3, TState, TResult>) : Select<SelectFourth<T1, T2, T3, TState, TResult>, TState, TResult>(chain, 3);
    }

    private readonly struct SelectFourth<T1, T2, T3, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
    {
        public static nint Next<T4>(FusedChain chain)
            where T4 : struct, ILayerInvoker =>
            chain.Length == 4 ? Address<TState, TResult>(&Run4<T1, T2, T3, T4, TState, TResult>) : Select<SelectFifth<T1, T2, T3, T4, TState, TResult>, TState, TResult>(chain, 4);
    }

    private readonly struct SelectFifth<T1, T2, T3, T4, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker
    {
        public static nint Next<T5>(FusedChain chain)
            where T5 : struct, ILayerInvoker => Address<TState, TResult>(&Run5<T1, T2, T3, T4, T5, TState, TResult>);
    }
}
