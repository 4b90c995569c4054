using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Resolves a layer's fallback by Resilience4j's rules, at compile time: the methods of that name on the type that
/// carries the attribute (and its base types); each takes <c>(TException)</c> or <c>(the method's parameters…,
/// TException)</c>, optionally followed by a <c>CancellationToken</c>, and returns what the method returns, with the
/// same asynchronous shape. Every overload becomes a <c>catch</c> clause, the most derived exception type first.
/// </summary>
internal static class FallbackResolver
{
    private static readonly string[] ExceptionPlaceholder = { "TException" };

    public static void Resolve(DecoratorPlan plan, MethodPlan method, LayerSpec layer, KnownTypes known)
    {
        string name = layer.FallbackMethod!;
        List<IMethodSymbol> candidates = Candidates(layer.Host, name);
        string methodName = method.Method.Name;
        if (candidates.Count == 0)
        {
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackNotFound, layer.Location, name, layer.Kind, methodName, layer.Host.Name);
            return;
        }

        var seen = new Dictionary<ITypeSymbol, IMethodSymbol>(SymbolEqualityComparer.Default);
        foreach (IMethodSymbol candidate in candidates)
        {
            Location location = candidate.Locations.FirstOrDefault(l => l.IsInSource) ?? layer.Location;
            FallbackOverload? overload = Match(plan, method, candidate, location, known);
            if (overload is null)
            {
                continue;
            }

            if (seen.ContainsKey(overload.ExceptionType))
            {
                DecoratorPlanner.Fail(plan, method, Descriptors.FallbackDuplicate, location, name, methodName, overload.ExceptionType.ToDisplayString());
                continue;
            }

            seen.Add(overload.ExceptionType, candidate);
            if (known.OperationCanceled is not null && IsOrDerives(overload.ExceptionType, known.OperationCanceled))
            {
                DecoratorPlanner.Report(plan, Descriptors.FallbackCatchesCancellation, location, name, methodName, overload.ExceptionType.ToDisplayString());
            }

            layer.Fallbacks.Add(overload);
        }

        layer.Fallbacks.Sort((a, b) => b.Depth.CompareTo(a.Depth));
    }

    private static FallbackOverload? Match(DecoratorPlan plan, MethodPlan method, IMethodSymbol candidate, Location location, KnownTypes known)
    {
        IMethodSymbol original = method.Method;
        string methodName = original.Name;
        var parameters = candidate.Parameters;

        // (TException), (TException, CancellationToken), (the method's parameters…, TException), or (the method's
        // parameters but its token…, TException, CancellationToken): the last keeps the token last, as CA1068 asks.
        List<IParameterSymbol> withoutToken = original.Parameters.Where(p => !known.IsToken(p.Type)).ToList();
        bool trailingToken = parameters.Length > 1 && known.IsToken(parameters[parameters.Length - 1].Type);
        FallbackArguments arguments;
        int count;
        if (parameters.Length == 1 || (parameters.Length == 2 && trailingToken && known.ExceptionDepth(parameters[0].Type) >= 0))
        {
            arguments = FallbackArguments.None;
            count = 1;
        }
        else if (parameters.Length == original.Parameters.Length + 1 && SameTypes(parameters, original.Parameters))
        {
            arguments = FallbackArguments.All;
            count = parameters.Length;
            trailingToken = false;
        }
        else if (trailingToken && parameters.Length == withoutToken.Count + 2 && SameTypes(parameters, withoutToken))
        {
            arguments = FallbackArguments.AllButToken;
            count = parameters.Length - 1;
        }
        else
        {
            string expected = string.Join(", ", original.Parameters.Select(p => p.Type.ToDisplayString()).Concat(ExceptionPlaceholder));
            string actual = string.Join(", ", parameters.Select(p => p.Type.ToDisplayString()));
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackParameters, location, candidate.Name, methodName, actual, expected);
            return null;
        }

        bool withToken = trailingToken && count < parameters.Length;
        ITypeSymbol exceptionType = parameters[count - 1].Type;
        int depth = known.ExceptionDepth(exceptionType);
        if (depth < 0)
        {
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackNotException, location, candidate.Name, methodName, exceptionType.ToDisplayString());
            return null;
        }

        if (!ReturnMatches(method, candidate, known))
        {
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackReturnType, location, candidate.Name, methodName, candidate.ReturnType.ToDisplayString(), original.ReturnType.ToDisplayString());
            return null;
        }

        if (candidate.DeclaredAccessibility is Accessibility.Private or Accessibility.Protected or Accessibility.ProtectedAndInternal)
        {
            string accessibility = candidate.DeclaredAccessibility == Accessibility.Private ? "private" : "protected";
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackInaccessible, location, candidate.Name, methodName, accessibility);
            return null;
        }

        if (candidate.IsGenericMethod)
        {
            DecoratorPlanner.Fail(plan, method, Descriptors.FallbackParameters, location, candidate.Name, methodName, "generic", "a non-generic method");
            return null;
        }

        return new FallbackOverload(candidate, exceptionType, arguments, withToken, depth);
    }

    private static bool SameTypes(System.Collections.Immutable.ImmutableArray<IParameterSymbol> candidate, IReadOnlyList<IParameterSymbol> original)
    {
        for (int i = 0; i < original.Count; i++)
        {
            if (!SymbolEqualityComparer.Default.Equals(candidate[i].Type, original[i].Type) || candidate[i].RefKind != RefKind.None)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ReturnMatches(MethodPlan method, IMethodSymbol candidate, KnownTypes known)
    {
        ReturnShape shape = known.ShapeOf(candidate.ReturnType, out ITypeSymbol? result);
        if (shape != method.Shape)
        {
            return false;
        }

        if (method.Result is null)
        {
            return true;
        }

        Microsoft.CodeAnalysis.CSharp.Conversion conversion = ((Microsoft.CodeAnalysis.CSharp.CSharpCompilation)known.Compilation).ClassifyConversion(result!, method.Result);
        return conversion.IsImplicit;
    }

    private static List<IMethodSymbol> Candidates(INamedTypeSymbol host, string name)
    {
        var found = new List<IMethodSymbol>();
        var types = new List<INamedTypeSymbol>();
        for (INamedTypeSymbol? t = host; t is not null; t = t.BaseType)
        {
            types.Add(t);
        }

        if (host.TypeKind == TypeKind.Interface)
        {
            types.AddRange(host.AllInterfaces);
        }

        foreach (INamedTypeSymbol type in types)
        {
            foreach (IMethodSymbol method in type.GetMembers(name).OfType<IMethodSymbol>())
            {
                if (method.MethodKind == MethodKind.Ordinary && !found.Any(f => f.Parameters.Length == method.Parameters.Length && f.Parameters.Zip(method.Parameters, (a, b) => SymbolEqualityComparer.Default.Equals(a.Type, b.Type)).All(x => x)))
                {
                    found.Add(method);
                }
            }
        }

        return found;
    }

    private static bool IsOrDerives(ITypeSymbol type, ITypeSymbol baseType)
    {
        for (ITypeSymbol? t = type; t is not null; t = t.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(t, baseType))
            {
                return true;
            }
        }

        return false;
    }
}
