using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>The types the planner compares against, looked up once per compilation.</summary>
internal sealed class KnownTypes
{
    public const string Namespace = "Resilience.Attributes.";

    private KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Attributes = new INamedTypeSymbol?[5];
        for (int i = 0; i < 5; i++)
        {
            Attributes[i] = compilation.GetTypeByMetadataName(Namespace + (LayerKind)i + "Attribute");
        }

        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerable = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        Exception = compilation.GetTypeByMetadataName("System.Exception");
        OperationCanceled = compilation.GetTypeByMetadataName("System.OperationCanceledException");
        Disposable = compilation.GetTypeByMetadataName("System.IDisposable");
        Rejection = compilation.GetTypeByMetadataName("Resilience.ResilienceRejectedException");
        AsyncDisposable = compilation.GetTypeByMetadataName("System.IAsyncDisposable");
    }

    public Compilation Compilation { get; }

    /// <summary>The attribute types, indexed by <see cref="LayerKind"/>; null when the compilation does not reference the package.</summary>
    public INamedTypeSymbol?[] Attributes { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerable { get; }

    public INamedTypeSymbol? Exception { get; }

    public INamedTypeSymbol? OperationCanceled { get; }

    public INamedTypeSymbol? Disposable { get; }

    /// <summary>The base of the rejections of our own layers (call not permitted, bulkhead full, rate limited, timed out).</summary>
    public INamedTypeSymbol? Rejection { get; }

    public INamedTypeSymbol? AsyncDisposable { get; }

    public static KnownTypes Of(Compilation compilation) => new(compilation);

    /// <summary>Gets the layer kind of an attribute, or null when it is none of ours.</summary>
    public LayerKind? KindOf(AttributeData attribute)
    {
        for (int i = 0; i < Attributes.Length; i++)
        {
            if (Attributes[i] is not null && SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, Attributes[i]))
            {
                return (LayerKind)i;
            }
        }

        return null;
    }

    /// <summary>Tells whether a symbol carries any of the five attributes.</summary>
    public bool HasAny(ISymbol symbol)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (KindOf(attribute) is not null)
            {
                return true;
            }
        }

        return false;
    }

    public ReturnShape ShapeOf(ITypeSymbol type, out ITypeSymbol? result)
    {
        result = null;
        if (type.SpecialType == SpecialType.System_Void)
        {
            return ReturnShape.Void;
        }

        if (type is INamedTypeSymbol named)
        {
            if (SymbolEqualityComparer.Default.Equals(named, Task))
            {
                return ReturnShape.Task;
            }

            if (SymbolEqualityComparer.Default.Equals(named, ValueTask))
            {
                return ReturnShape.ValueTask;
            }

            if (named.IsGenericType && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, TaskOfT))
            {
                result = named.TypeArguments[0];
                return ReturnShape.TaskOfT;
            }

            if (named.IsGenericType && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTaskOfT))
            {
                result = named.TypeArguments[0];
                return ReturnShape.ValueTaskOfT;
            }

            if (named.IsGenericType && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, AsyncEnumerable))
            {
                return ReturnShape.Unsupported;
            }
        }

        result = type;
        return ReturnShape.Value;
    }

    /// <summary>How many steps <paramref name="type"/> is from <see cref="System.Exception"/>, or -1 when it is not one.</summary>
    public int ExceptionDepth(ITypeSymbol type)
    {
        int depth = 0;
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType, depth++)
        {
            if (SymbolEqualityComparer.Default.Equals(t, Exception))
            {
                return depth;
            }
        }

        return -1;
    }

    public bool IsRejection(ITypeSymbol type)
    {
        for (ITypeSymbol? t = type; t is not null && Rejection is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, Rejection))
            {
                return true;
            }
        }

        return false;
    }

    public bool IsToken(ITypeSymbol type) => SymbolEqualityComparer.Default.Equals(type, CancellationToken);
}
