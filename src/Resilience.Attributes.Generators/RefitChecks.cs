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

    /// <summary>
    /// Overloads of a Refit method whose per-request layers name different instances: Refit tells the handler only
    /// the method's name, so one overload's table entry would replace the other's.
    /// </summary>
    public static IEnumerable<Diagnostic> ConflictingOverloads(DecoratorPlan plan)
    {
        foreach (IGrouping<string, MethodPlan> overloads in plan.Methods.Where(m => m.Layers.Any(l => l.PerRequest)).GroupBy(m => m.Method.Name))
        {
            MethodPlan first = overloads.First();
            foreach (MethodPlan other in overloads.Skip(1).Where(o => Names(o) != Names(first)))
            {
                Location location = other.Method.Locations.FirstOrDefault() ?? Location.None;
                yield return Diagnostic.Create(Descriptors.RefitOverloadConflict, location, other.Method.Name, Names(first), Names(other));
            }
        }

        static string Names(MethodPlan method) => string.Join(", ", method.Layers.Where(l => l.PerRequest).Select(l => $"{l.Kind}(\"{l.Name}\")"));
    }

    /// <summary>The verb of a method's Refit attribute (<c>[Get]</c>, <c>[Post]</c>…), or null.</summary>
    public static string? VerbOf(IMethodSymbol method)
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
