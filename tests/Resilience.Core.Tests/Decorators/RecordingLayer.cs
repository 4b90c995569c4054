namespace Resilience.Tests.Decorators;

/// <summary>A layer of a test's own: it writes "name&gt;" when a call enters and "&lt;name" when it leaves, on both paths.</summary>
internal sealed class RecordingLayer(string name, List<string> log) : IResilienceLayer
{
    /// <summary>Gets the results this layer saw leave the layers inside it.</summary>
    public List<object?> Results { get; } = [];

    public TResult Execute<TState, TResult>(Func<TState, TResult> func, TState state)
    {
        log.Add(name + ">");
        try
        {
            TResult result = func(state);
            Results.Add(result);
            return result;
        }
        finally
        {
            log.Add("<" + name);
        }
    }

    public async ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        log.Add(name + ">");
        try
        {
            TResult result = await func(state, cancellationToken);
            Results.Add(result);
            return result;
        }
        finally
        {
            log.Add("<" + name);
        }
    }

    public override string ToString() => name;
}

/// <summary>A layer of a test's own that runs asynchronous calls only, and can refuse them.</summary>
internal sealed class AsyncOnlyLayer(string name, List<string> log) : IAsyncResilienceLayer
{
    /// <summary>Gets or sets the exception the layer refuses calls with; null lets them through.</summary>
    public Exception? Refusal { get; set; }

    public async ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default)
    {
        if (Refusal is not null)
        {
            log.Add(name + "!");
            throw Refusal;
        }

        log.Add(name + ">");
        try
        {
            return await func(state, cancellationToken);
        }
        finally
        {
            log.Add("<" + name);
        }
    }

    public override string ToString() => name;
}

/// <summary>A layer of a test's own that refuses every call by throwing on the caller's thread, before any task exists.</summary>
internal sealed class ThrowingLayer(Exception refusal) : IAsyncResilienceLayer
{
    public ValueTask<TResult> ExecuteAsync<TState, TResult>(Func<TState, CancellationToken, ValueTask<TResult>> func, TState state, CancellationToken cancellationToken = default) =>
        throw refusal;
}
