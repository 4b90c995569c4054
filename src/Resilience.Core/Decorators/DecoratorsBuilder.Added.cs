namespace Resilience;

public sealed partial class DecoratorsBuilder<TResult>
{
    private bool IsAdded(DecoratorKind kind) => kind switch
    {
        DecoratorKind.Fallback => _fallbacks.Count != 0,
        DecoratorKind.CircuitBreaker => CircuitBreaker is not null,
        _ => false,
    };
}
