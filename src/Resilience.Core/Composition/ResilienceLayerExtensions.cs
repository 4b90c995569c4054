using System.Runtime.CompilerServices;
using Resilience.Internal;

namespace Resilience;

/// <summary>
/// The convenience overloads of every layer, written once over <see cref="IAsyncResilienceLayer"/> and
/// <see cref="IResilienceLayer"/>: calls without state, calls that return nothing, and <see cref="Task"/>-returning
/// calls. Each one funnels into the layer's single state-passing core.
/// </summary>
/// <remarks>
/// The overloads that take a lambda without state allocate the lambda's closure if it captures anything; on hot paths
/// prefer the layer's own state-passing <c>ExecuteAsync</c> with a static lambda. <see cref="Task"/>-returning overloads
/// allocate the task they return.
/// </remarks>
public static class ResilienceLayerExtensions
{
    /// <summary>Runs <paramref name="func"/> under the layer.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect; it receives the token it must observe.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call; rejections and failures are reported through the task.</returns>
    [OverloadResolutionPriority(1)]
    public static ValueTask<TResult> ExecuteAsync<TResult>(this IAsyncResilienceLayer layer, Func<CancellationToken, ValueTask<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        return layer.ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/>, which returns nothing, under the layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect; it receives the token it must observe.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes with the call; rejections and failures are reported through it.</returns>
    [OverloadResolutionPriority(1)]
    public static ValueTask ExecuteAsync(this IAsyncResilienceLayer layer, Func<CancellationToken, ValueTask> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return layer.ExecuteAsync(static (f, ct) => f(ct), func, cancellationToken);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, returning nothing, under the layer. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes with the call; rejections and failures are reported through it.</returns>
    [OverloadResolutionPriority(1)]
    public static ValueTask ExecuteAsync<TState>(this IAsyncResilienceLayer layer, Func<TState, CancellationToken, ValueTask> func, TState state, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        return VoidCalls.FromVoid(layer.ExecuteAsync(static (s, ct) => VoidCalls.ToVoid(s.func(s.state, ct)), (func, state), cancellationToken));
    }

    /// <summary>Runs <paramref name="func"/>, which returns a <see cref="Task{TResult}"/>, under the layer.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect; it receives the token it must observe.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>The result of the call; rejections and failures are reported through the task.</returns>
    public static Task<TResult> ExecuteAsync<TResult>(this IAsyncResilienceLayer layer, Func<CancellationToken, Task<TResult>> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        return layer.ExecuteAsync(static (f, ct) => new ValueTask<TResult>(f(ct)), func, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="func"/>, which returns a <see cref="Task"/>, under the layer.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect; it receives the token it must observe.</param>
    /// <param name="cancellationToken">The caller's token.</param>
    /// <returns>A task that completes with the call; rejections and failures are reported through it.</returns>
    public static Task ExecuteAsync(this IAsyncResilienceLayer layer, Func<CancellationToken, Task> func, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(func);
        return layer.ExecuteAsync(static (f, ct) => new ValueTask(f(ct)), func, cancellationToken).AsTask();
    }

    /// <summary>Runs <paramref name="func"/> under the layer, on the caller's thread.</summary>
    /// <typeparam name="TResult">The type of the result.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect.</param>
    /// <returns>The result of the call.</returns>
    public static TResult Execute<TResult>(this IResilienceLayer layer, Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        return layer.Execute(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/>, which returns nothing, under the layer, on the caller's thread.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect.</param>
    public static void Execute(this IResilienceLayer layer, Action func)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        layer.Execute(static a => { a(); return default(VoidResult); }, func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/>, returning nothing, under the layer, on the caller's thread.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="layer">The layer.</param>
    /// <param name="func">The call to protect.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    public static void Execute<TState>(this IResilienceLayer layer, Action<TState> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(layer);
        ArgumentNullException.ThrowIfNull(func);
        layer.Execute(static s => { s.func(s.state); return default(VoidResult); }, (func, state));
    }
}
