using Resilience.Internal;

namespace Resilience;

/// <summary>
/// Layers and fallbacks stacked around calls that return <typeparamref name="TResult"/>, synchronous or asynchronous,
/// built by <see cref="DecoratorsBuilder{TResult}"/> when every layer runs synchronous calls too. Immutable,
/// thread-safe and reusable for any number of calls.
/// </summary>
/// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
/// <remarks>See <see cref="AsyncDecorators{TResult}"/> for the rules both share.</remarks>
public sealed class Decorators<TResult> : AsyncDecorators<TResult>
{
    internal Decorators(BuiltComposition<TResult> built)
        : base(built)
    {
    }

    /// <summary>Runs <paramref name="func"/> through every layer, on the caller's thread.</summary>
    /// <param name="func">The call to decorate.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    public TResult Execute(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Run(static f => f(), func);
    }

    /// <summary>Runs <paramref name="func"/> with <paramref name="state"/> through every layer, on the caller's thread. Pass a static lambda to avoid a closure.</summary>
    /// <typeparam name="TState">The type of the state.</typeparam>
    /// <param name="func">The call to decorate.</param>
    /// <param name="state">The state passed to <paramref name="func"/>.</param>
    /// <returns>The result of the call, or of a fallback.</returns>
    public TResult Execute<TState>(Func<TState, TResult> func, TState state)
    {
        ArgumentNullException.ThrowIfNull(func);
        return Run(func, state);
    }

    /// <summary>Returns <paramref name="func"/> wrapped in every layer, like Resilience4j's <c>decorate()</c>.</summary>
    /// <param name="func">The call to decorate.</param>
    /// <returns>A function that runs <paramref name="func"/> through the layers each time it is called.</returns>
    public Func<TResult> Decorate(Func<TResult> func)
    {
        ArgumentNullException.ThrowIfNull(func);
        return () => Run(static f => f(), func);
    }
}
