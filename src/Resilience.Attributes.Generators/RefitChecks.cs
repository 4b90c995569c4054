using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>Checks that concern Refit interfaces, read by attribute name so that no Refit reference is needed.</summary>
internal static class RefitChecks
{
    /// <summary>A <c>[Retry]</c> on a Refit method whose verb is not idempotent (POST, PATCH).</summary>
    public static IEnumerable<Diagnostic> NonIdempotentRetries(DecoratorPlan plan)
    {
        foreach (MethodPlan method in plan.Methods)
        {
            LayerSpec? retry = method.Layers.FirstOrDefault(l => l.Kind == LayerKind.Retry);
            string? verb = retry is null ? null : VerbOf(method.Method);
            if (verb is "POST" or "PATCH")
            {
                yield return Diagnostic.Create(Descriptors.RetryNotIdempotent, retry!.Location, method.Method.Name, verb);
            }
        }
    }

    private static string? VerbOf(IMethodSymbol method)
    {
        foreach (AttributeData attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { ContainingNamespace.Name: "Refit" } type && type.Name.EndsWith("Attribute", System.StringComparison.Ordinal))
            {
                string verb = type.Name.Substring(0, type.Name.Length - "Attribute".Length).ToUpperInvariant();
                if (verb is "GET" or "POST" or "PUT" or "DELETE" or "PATCH" or "HEAD" or "OPTIONS")
                {
                    return verb;
                }
            }
        }

        return null;
    }
}
