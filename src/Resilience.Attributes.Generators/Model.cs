using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>The five attributes, in Resilience4j's default nesting (outermost first).</summary>
internal enum LayerKind
{
    Retry,
    CircuitBreaker,
    RateLimiter,
    TimeLimiter,
    Bulkhead,
}

/// <summary>How a method returns.</summary>
internal enum ReturnShape
{
    Void,
    Value,
    Task,
    TaskOfT,
    ValueTask,
    ValueTaskOfT,
    Unsupported,
}

/// <summary>One attribute that applies to one method.</summary>
internal sealed class LayerSpec
{
    public LayerSpec(LayerKind kind, AttributeData attribute, INamedTypeSymbol host, ISymbol carrier)
    {
        Kind = kind;
        Attribute = attribute;
        Host = host;
        Carrier = carrier;
    }

    public LayerKind Kind { get; }

    public AttributeData Attribute { get; }

    /// <summary>The type whose members the fallback is looked up in.</summary>
    public INamedTypeSymbol Host { get; }

    /// <summary>The member or type the attribute sits on.</summary>
    public ISymbol Carrier { get; }

    public string Name { get; set; } = string.Empty;

    public string? Configuration { get; set; }

    public string? FallbackMethod { get; set; }

    public int Permits { get; set; } = 1;

    public bool ThreadPool { get; set; }

    public string Primitive => Kind switch
    {
        LayerKind.Bulkhead when ThreadPool => "ThreadPoolBulkhead",
        _ => Kind.ToString(),
    };

    public List<FallbackOverload> Fallbacks { get; } = new();

    public Location Location => Attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? Carrier.Locations[0];
}

/// <summary>One overload of a fallback method that matches its method.</summary>
internal sealed class FallbackOverload
{
    public FallbackOverload(IMethodSymbol method, ITypeSymbol exceptionType, FallbackArguments arguments, bool withToken, int depth)
    {
        Method = method;
        ExceptionType = exceptionType;
        Arguments = arguments;
        WithToken = withToken;
        Depth = depth;
    }

    public IMethodSymbol Method { get; }

    public ITypeSymbol ExceptionType { get; }

    public FallbackArguments Arguments { get; }

    public bool WithToken { get; }

    /// <summary>How far the exception type derives from <see cref="System.Exception"/>: the catch clauses go deepest first.</summary>
    public int Depth { get; }
}

/// <summary>Which of the method's arguments a fallback takes before the exception.</summary>
internal enum FallbackArguments
{
    None,
    All,
    AllButToken,
}

/// <summary>One interface method of a decorator, with the layers that apply to it (outermost first).</summary>
internal sealed class MethodPlan
{
    public MethodPlan(IMethodSymbol method, ReturnShape shape, ITypeSymbol? result, int tokenIndex)
    {
        Method = method;
        Shape = shape;
        Result = result;
        TokenIndex = tokenIndex;
    }

    public IMethodSymbol Method { get; }

    public ReturnShape Shape { get; }

    /// <summary>The result type: the <c>T</c> of <c>T</c>, <c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>; null when nothing is returned.</summary>
    public ITypeSymbol? Result { get; }

    /// <summary>The index of the method's <see cref="System.Threading.CancellationToken"/> parameter, or -1.</summary>
    public int TokenIndex { get; }

    public List<LayerSpec> Layers { get; } = new();

    /// <summary>False when a problem makes the generator forward the call without layers.</summary>
    public bool Valid { get; set; } = true;

    public bool IsAsync => Shape is ReturnShape.Task or ReturnShape.TaskOfT or ReturnShape.ValueTask or ReturnShape.ValueTaskOfT;
}

/// <summary>What one decorator holds: its target, the interfaces it implements, its methods and the problems found.</summary>
internal sealed class DecoratorPlan
{
    public DecoratorPlan(INamedTypeSymbol target)
    {
        Target = target;
    }

    public INamedTypeSymbol Target { get; }

    public bool IsClass => Target.TypeKind == TypeKind.Class;

    public List<INamedTypeSymbol> Interfaces { get; } = new();

    public List<MethodPlan> Methods { get; } = new();

    public List<Diagnostic> Problems { get; } = new();

    /// <summary>False when the type itself cannot be decorated; the generator then emits nothing for it.</summary>
    public bool Emit { get; set; } = true;
}
