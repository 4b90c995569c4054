using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>What the planner reads from an attribute, and which member shapes a decorator cannot carry.</summary>
internal static class MemberRules
{
    /// <summary>Reads Resilience4j's members of the attribute into the layer.</summary>
    public static void ReadArguments(LayerSpec layer)
    {
        if (layer.Attribute.ConstructorArguments.Length > 0 && layer.Attribute.ConstructorArguments[0].Value is string name)
        {
            layer.Name = name;
        }

        foreach (KeyValuePair<string, TypedConstant> named in layer.Attribute.NamedArguments)
        {
            switch (named.Key)
            {
                case "Configuration":
                    layer.Configuration = named.Value.Value as string;
                    break;
                case "FallbackMethod":
                    layer.FallbackMethod = named.Value.Value as string;
                    break;
                case "Permits" when named.Value.Value is int permits:
                    layer.Permits = permits;
                    break;
                case "Type" when named.Value.Value is int type:
                    layer.ThreadPool = type == 1;
                    break;
            }
        }
    }

    /// <summary>Why a method cannot be decorated, or null when it can.</summary>
    public static string? UnsupportedReason(IMethodSymbol method, ReturnShape shape)
    {
        if (shape == ReturnShape.Unsupported)
        {
            return "IAsyncEnumerable<T> results are not supported; return Task<T> or ValueTask<T>";
        }

        if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            return "ref returns are not supported";
        }

        if (method.IsGenericMethod)
        {
            return "generic methods are not supported yet";
        }

        if (method.ReturnType.IsRefLikeType || method.ReturnType.TypeKind == TypeKind.Pointer)
        {
            return "ref struct and pointer results are not supported";
        }

        foreach (IParameterSymbol parameter in method.Parameters)
        {
            if (parameter.RefKind != RefKind.None)
            {
                return $"parameter '{parameter.Name}' is passed by reference ({parameter.RefKind.ToString().ToLowerInvariant()}), which a layer cannot carry across attempts";
            }

            if (parameter.Type.IsRefLikeType || parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer)
            {
                return $"parameter '{parameter.Name}' is a ref struct or a pointer, which a layer cannot carry across attempts";
            }
        }

        return null;
    }
}
