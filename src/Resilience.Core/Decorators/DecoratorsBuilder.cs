using Resilience.Internal;

namespace Resilience;

/// <summary>Collects the primitives and fallbacks to stack around calls that return <typeparamref name="TResult"/>. Create it with <see cref="Decorators.For{TResult}"/>.</summary>
/// <typeparam name="TResult">The result type of the decorated calls.</typeparam>
/// <remarks>
/// <para>Each kind of primitive can be added once. Unless <see cref="InOrder"/> says otherwise, the layers nest in
/// Resilience4j's order whatever order they were added in, with the fallback outermost:
/// <c>Fallback(Retry(CircuitBreaker(RateLimiter(TimeLimiter(Bulkhead(call))))))</c>. So every retry attempt passes
/// through the breaker and is timed on its own.</para>
/// <para>The builder is not thread-safe; the <see cref="Decorators{TResult}"/> it builds is immutable and is.</para>
/// </remarks>
public sealed partial class DecoratorsBuilder<TResult>
{
    private readonly List<FallbackHandler<TResult>> _fallbacks = [];
    private DecoratorKind[]? _order;

    internal DecoratorsBuilder()
    {
    }

    internal CircuitBreaker? CircuitBreaker { get; private set; }

    /// <summary>Adds a circuit breaker.</summary>
    /// <param name="circuitBreaker">The breaker; it can be shared with other decorators and callers.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="InvalidOperationException">A circuit breaker was already added.</exception>
    public DecoratorsBuilder<TResult> WithCircuitBreaker(CircuitBreaker circuitBreaker)
    {
        ArgumentNullException.ThrowIfNull(circuitBreaker);
        CircuitBreaker = Once(CircuitBreaker, circuitBreaker, DecoratorKind.CircuitBreaker);
        return this;
    }

    /// <summary>Adds a fallback for the exceptions <paramref name="predicate"/> accepts.</summary>
    /// <param name="predicate">Whether the fallback handles an exception.</param>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// Fallbacks are tried in the order they were added and the first that accepts the exception runs. None handles an
    /// <see cref="OperationCanceledException"/> caused by the caller's own token. Rejections are exceptions like any
    /// other, so a fallback can serve <see cref="CallNotPermittedException"/>, <see cref="BulkheadFullException"/>
    /// or a rate limiter's refusal. An exception thrown by the fallback itself propagates.
    /// </remarks>
    public DecoratorsBuilder<TResult> WithFallback(Func<Exception, bool> predicate, Func<Exception, TResult> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks.Add(new FallbackHandler<TResult>(predicate, fallback, null));
        return this;
    }

    /// <summary>Adds a fallback for exceptions of type <typeparamref name="TException"/> or a subtype.</summary>
    /// <typeparam name="TException">The exceptions handled.</typeparam>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <remarks>See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules.</remarks>
    public DecoratorsBuilder<TResult> WithFallback<TException>(Func<TException, TResult> fallback)
        where TException : Exception
    {
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks.Add(new FallbackHandler<TResult>(static ex => ex is TException, ex => fallback((TException)ex), null));
        return this;
    }

    /// <summary>Adds a fallback for exceptions of the given types or their subtypes.</summary>
    /// <param name="exceptionTypes">The exception types handled; each derives from <see cref="Exception"/>.</param>
    /// <param name="fallback">Turns the exception into a result.</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException">A type is not an exception type, or the list is empty.</exception>
    /// <remarks>See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules.</remarks>
    public DecoratorsBuilder<TResult> WithFallback(IEnumerable<Type> exceptionTypes, Func<Exception, TResult> fallback)
    {
        Type[] types = CheckExceptionTypes(exceptionTypes);
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks.Add(new FallbackHandler<TResult>(ex => Matches(types, ex), fallback, null));
        return this;
    }

    /// <summary>Adds an asynchronous fallback for the exceptions <paramref name="predicate"/> accepts.</summary>
    /// <param name="predicate">Whether the fallback handles an exception.</param>
    /// <param name="fallback">Turns the exception into a result; it receives the token of the layer it wraps.</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// See <see cref="WithFallback(Func{Exception, bool}, Func{Exception, TResult})"/> for the rules. On the
    /// synchronous <see cref="Decorators{TResult}.Execute(Func{TResult})"/> path the caller blocks until it completes.
    /// </remarks>
    public DecoratorsBuilder<TResult> WithFallbackAsync(Func<Exception, bool> predicate, Func<Exception, CancellationToken, ValueTask<TResult>> fallback)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        ArgumentNullException.ThrowIfNull(fallback);
        _fallbacks.Add(new FallbackHandler<TResult>(predicate, null, fallback));
        return this;
    }

    /// <summary>Chooses the nesting of the layers explicitly, from the outermost to the innermost.</summary>
    /// <param name="order">Every added kind exactly once (<see cref="DecoratorKind.Fallback"/> if a fallback was added).</param>
    /// <returns>This builder.</returns>
    /// <remarks>
    /// For example, <c>InOrder(DecoratorKind.CircuitBreaker, DecoratorKind.Retry)</c> makes the breaker record one
    /// outcome per retried call instead of one per attempt. The order is checked by <see cref="Build"/>.
    /// </remarks>
    public DecoratorsBuilder<TResult> InOrder(params DecoratorKind[] order)
    {
        ArgumentNullException.ThrowIfNull(order);
        _order = [.. order];
        return this;
    }

    /// <summary>Builds the immutable, thread-safe decorators.</summary>
    /// <returns>The decorators, reusable for any number of calls.</returns>
    /// <exception cref="InvalidOperationException">The explicit order names a kind that was not added, misses or repeats one, or puts the thread-pool bulkhead anywhere but innermost.</exception>
    public Decorators<TResult> Build()
    {
        List<DecoratorKind> added = [.. Enum.GetValues<DecoratorKind>().Where(IsAdded)];
        DecoratorKind[] layers = _order ?? [.. added];
        CheckOrder(layers, added);
        return new Decorators<TResult>(this, layers, _fallbacks.Count == 0 ? null : new FallbackHandlers<TResult>([.. _fallbacks]));
    }

    private static void CheckOrder(DecoratorKind[] layers, List<DecoratorKind> added)
    {
        foreach (DecoratorKind kind in layers)
        {
            if (!added.Contains(kind))
            {
                throw new InvalidOperationException($"The decorator order names {kind}, which was not added. Added: {string.Join(", ", added)}.");
            }
        }

        foreach (DecoratorKind kind in added)
        {
            int count = layers.Count(k => k == kind);
            if (count != 1)
            {
                throw new InvalidOperationException($"The decorator order must name {kind} exactly once, but names it {count} times. Order: {string.Join(", ", layers)}.");
            }
        }

        int pool = Array.IndexOf(layers, DecoratorKind.ThreadPoolBulkhead);
        if (pool >= 0 && pool != layers.Length - 1)
        {
            throw new InvalidOperationException($"The thread-pool bulkhead must be the innermost layer because it runs the call itself on its own threads. Order: {string.Join(", ", layers)}.");
        }
    }

    private static T Once<T>(T? current, T value, DecoratorKind kind)
        where T : class =>
        current is null ? value : throw new InvalidOperationException($"A {kind} decorator was already added; each kind can be added once.");

    private static Type[] CheckExceptionTypes(IEnumerable<Type> exceptionTypes)
    {
        ArgumentNullException.ThrowIfNull(exceptionTypes);
        Type[] types = [.. exceptionTypes];
        if (types.Length == 0)
        {
            throw new ArgumentException("At least one exception type is needed.", nameof(exceptionTypes));
        }

        foreach (Type type in types)
        {
            if (type is null || !typeof(Exception).IsAssignableFrom(type))
            {
                throw new ArgumentException($"'{type}' is not an exception type.", nameof(exceptionTypes));
            }
        }

        return types;
    }

    private static bool Matches(Type[] types, Exception exception)
    {
        foreach (Type type in types)
        {
            if (type.IsInstanceOfType(exception))
            {
                return true;
            }
        }

        return false;
    }
}
