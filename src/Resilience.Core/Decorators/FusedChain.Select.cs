using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Calls one built-in primitive's <c>ExecuteAsync</c>; a type argument of a fused chain's runner names it.</summary>
internal interface ILayerInvoker
{
    /// <summary>Runs <paramref name="func"/> under <paramref name="layer"/>, which is of this invoker's kind.</summary>
    static abstract ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken);
}

/// <summary>Calls a <see cref="Retry"/>.</summary>
internal readonly struct RetryInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<Retry>(layer).ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls a <see cref="CircuitBreaker"/>.</summary>
internal readonly struct CircuitBreakerInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<CircuitBreaker>(layer).ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls a <see cref="RequestRateLimiter"/>.</summary>
internal readonly struct RateLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<RequestRateLimiter>(layer).ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls a <see cref="TimeLimiter"/>.</summary>
internal readonly struct TimeLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<TimeLimiter>(layer).ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls a <see cref="Bulkhead"/>.</summary>
internal readonly struct BulkheadInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<Bulkhead>(layer).ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls the <see cref="Retry"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedRetryInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<IForwardingLayer<Retry>>(layer).Target.ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls the <see cref="CircuitBreaker"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedCircuitBreakerInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<IForwardingLayer<CircuitBreaker>>(layer).Target.ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls the <see cref="RequestRateLimiter"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedRateLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<IForwardingLayer<RequestRateLimiter>>(layer).Target.ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls the <see cref="TimeLimiter"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedTimeLimiterInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<IForwardingLayer<TimeLimiter>>(layer).Target.ExecuteAsync(func, state, cancellationToken);
}

/// <summary>Calls the <see cref="Bulkhead"/> an <see cref="IForwardingLayer{TLayer}"/> holds now.</summary>
internal readonly struct ForwardedBulkheadInvoker : ILayerInvoker
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ValueTask<TResult> RunAsync<TState, TResult>(IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken) =>
        Unsafe.As<IForwardingLayer<Bulkhead>>(layer).Target.ExecuteAsync(func, state, cancellationToken);
}

/// <summary>The runners, one per chain length, and the selection of a shape's runner.</summary>
internal sealed partial class FusedChain
{
    /// <summary>Picks the invoker of the layer at <paramref name="depth"/> and hands it to <typeparamref name="TSelect"/>, which picks the rest.</summary>
    private static FusedRunner<TState, TResult> Select<TSelect, TState, TResult>(FusedChain chain, int depth)
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
        T1.RunAsync(
            chain._first,
            static (step, ct) => T2.RunAsync(step.Chain._second, step.Func, step.State, ct),
            new Step<TState, TResult>(chain, func, state),
            cancellationToken);

    private static ValueTask<TResult> Run3<T1, T2, T3, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker =>
        T1.RunAsync(
            chain._first,
            static (step, ct) => T2.RunAsync(
                step.Chain._second,
                static (step, ct) => T3.RunAsync(step.Chain._third!, step.Func, step.State, ct),
                step,
                ct),
            new Step<TState, TResult>(chain, func, state),
            cancellationToken);

    private static ValueTask<TResult> Run4<T1, T2, T3, T4, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker =>
        T1.RunAsync(
            chain._first,
            static (step, ct) => T2.RunAsync(
                step.Chain._second,
                static (step, ct) => T3.RunAsync(
                    step.Chain._third!,
                    static (step, ct) => T4.RunAsync(step.Chain._fourth!, step.Func, step.State, ct),
                    step,
                    ct),
                step,
                ct),
            new Step<TState, TResult>(chain, func, state),
            cancellationToken);

    private static ValueTask<TResult> Run5<T1, T2, T3, T4, T5, TState, TResult>(FusedChain chain, Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken)
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker
        where T5 : struct, ILayerInvoker =>
        T1.RunAsync(
            chain._first,
            static (step, ct) => T2.RunAsync(
                step.Chain._second,
                static (step, ct) => T3.RunAsync(
                    step.Chain._third!,
                    static (step, ct) => T4.RunAsync(
                        step.Chain._fourth!,
                        static (step, ct) => T5.RunAsync(step.Chain._fifth!, step.Func, step.State, ct),
                        step,
                        ct),
                    step,
                    ct),
                step,
                ct),
            new Step<TState, TResult>(chain, func, state),
            cancellationToken);

    /// <summary>Knows the invokers of the outer layers, and picks the runner once it is given the next one.</summary>
    private interface ISelect<TState, TResult>
    {
        static abstract FusedRunner<TState, TResult> Next<TNext>(FusedChain chain)
            where TNext : struct, ILayerInvoker;
    }

    private readonly struct First<TState, TResult> : ISelect<TState, TResult>
    {
        public static FusedRunner<TState, TResult> Next<T1>(FusedChain chain)
            where T1 : struct, ILayerInvoker => Select<Second<T1, TState, TResult>, TState, TResult>(chain, 1);
    }

    private readonly struct Second<T1, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
    {
        public static FusedRunner<TState, TResult> Next<T2>(FusedChain chain)
            where T2 : struct, ILayerInvoker =>
            chain.Length == 2 ? static (c, f, s, ct) => Run2<T1, T2, TState, TResult>(c, f, s, ct) : Select<Third<T1, T2, TState, TResult>, TState, TResult>(chain, 2);
    }

    private readonly struct Third<T1, T2, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
    {
        public static FusedRunner<TState, TResult> Next<T3>(FusedChain chain)
            where T3 : struct, ILayerInvoker =>
            chain.Length == 3 ? static (c, f, s, ct) => Run3<T1, T2, T3, TState, TResult>(c, f, s, ct) : Select<Fourth<T1, T2, T3, TState, TResult>, TState, TResult>(chain, 3);
    }

    private readonly struct Fourth<T1, T2, T3, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
    {
        public static FusedRunner<TState, TResult> Next<T4>(FusedChain chain)
            where T4 : struct, ILayerInvoker =>
            chain.Length == 4 ? static (c, f, s, ct) => Run4<T1, T2, T3, T4, TState, TResult>(c, f, s, ct) : Select<Fifth<T1, T2, T3, T4, TState, TResult>, TState, TResult>(chain, 4);
    }

    private readonly struct Fifth<T1, T2, T3, T4, TState, TResult> : ISelect<TState, TResult>
        where T1 : struct, ILayerInvoker
        where T2 : struct, ILayerInvoker
        where T3 : struct, ILayerInvoker
        where T4 : struct, ILayerInvoker
    {
        public static FusedRunner<TState, TResult> Next<T5>(FusedChain chain)
            where T5 : struct, ILayerInvoker => static (c, f, s, ct) => Run5<T1, T2, T3, T4, T5, TState, TResult>(c, f, s, ct);
    }
}
