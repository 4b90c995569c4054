using System.Runtime.CompilerServices;

namespace Resilience.Internal;

/// <summary>Adapts calls that return nothing to the generic path, where <see cref="VoidResult"/> stands for their result.</summary>
internal static class VoidCalls
{
    /// <summary>The result of a call that returned nothing.</summary>
    public static ValueTask<VoidResult> ToVoid(ValueTask pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            pending.GetAwaiter().GetResult(); // releases a pooled source
            return default;
        }

        return AwaitVoidAsync(pending);
    }

    /// <summary>The task of a call that returns nothing, from its generic form.</summary>
    public static ValueTask FromVoid(ValueTask<VoidResult> pending)
    {
        if (pending.IsCompletedSuccessfully)
        {
            _ = pending.Result; // releases a pooled source
            return default;
        }

        return AwaitResultAsync(pending);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
    private static async ValueTask AwaitResultAsync(ValueTask<VoidResult> pending) => await pending.ConfigureAwait(false);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private static async ValueTask<VoidResult> AwaitVoidAsync(ValueTask pending)
    {
        await pending.ConfigureAwait(false);
        return default;
    }
}
