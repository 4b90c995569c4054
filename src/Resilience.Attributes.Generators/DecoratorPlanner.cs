using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Builds the plan of one decorator from an annotated interface or class: which interfaces it implements, which layers
/// each method gets (the most specific attribute of each kind wins: class member, class, interface member, interface),
/// the fallbacks resolved by Resilience4j's rules, and every problem found. The generator emits the plan; the analyzer
/// reports its problems. One builder, so that what is reported is exactly what is not generated.
/// </summary>
internal static class DecoratorPlanner
{
    public static DecoratorPlan Plan(INamedTypeSymbol target, KnownTypes known, LayerKind[] order)
    {
        var plan = new DecoratorPlan(target);
        if (target.IsGenericType)
        {
            Report(plan, Descriptors.UnsupportedShape, target.Locations[0], target.Name, "generic types are not supported yet; annotate a closed, non-generic interface");
            plan.Emit = false;
            return plan;
        }

        if (target.DeclaredAccessibility == Accessibility.Private || target.ContainingType?.DeclaredAccessibility == Accessibility.Private)
        {
            Report(plan, Descriptors.UnsupportedShape, target.Locations[0], target.Name, "a private nested type cannot be wrapped by a generated class");
            plan.Emit = false;
            return plan;
        }

        if (plan.IsClass)
        {
            plan.Interfaces.AddRange(target.AllInterfaces.Where(i => !IsLifetimeInterface(i, known)));
        }
        else
        {
            plan.Interfaces.Add(target);
            plan.Interfaces.AddRange(target.AllInterfaces);
        }

        var covered = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (INamedTypeSymbol @interface in plan.Interfaces)
        {
            foreach (IMethodSymbol method in @interface.GetMembers().OfType<IMethodSymbol>())
            {
                if (method.MethodKind != MethodKind.Ordinary || method.IsStatic || !method.IsAbstract)
                {
                    continue;
                }

                IMethodSymbol? implementation = plan.IsClass ? target.FindImplementationForInterfaceMember(method) as IMethodSymbol : null;
                if (implementation is not null)
                {
                    covered.Add(implementation);
                }

                plan.Methods.Add(PlanMethod(plan, method, implementation, known, order));
            }
        }

        if (plan.IsClass)
        {
            ReportNeverRuns(plan, covered, known);
        }

        if (plan.Interfaces.Count == 0 || plan.Interfaces.Any(i => i.GetMembers().Any(m => m.IsStatic && m.IsAbstract)))
        {
            plan.Emit = false;
        }

        return plan;
    }

    private static MethodPlan PlanMethod(DecoratorPlan plan, IMethodSymbol method, IMethodSymbol? implementation, KnownTypes known, LayerKind[] order)
    {
        ReturnShape shape = known.ShapeOf(method.ReturnType, out ITypeSymbol? result);
        int tokenIndex = -1;
        for (int i = 0; i < method.Parameters.Length; i++)
        {
            if (known.IsToken(method.Parameters[i].Type))
            {
                tokenIndex = i;
                break;
            }
        }

        var methodPlan = new MethodPlan(method, shape, result, tokenIndex);
        foreach (LayerKind kind in order)
        {
            LayerSpec? layer = Find(kind, plan, method, implementation, known);
            if (layer is not null)
            {
                methodPlan.Layers.Add(layer);
            }
        }

        if (methodPlan.Layers.Count == 0)
        {
            return methodPlan;
        }

        Location location = (implementation ?? method).Locations.FirstOrDefault() ?? Location.None;
        string? unsupported = UnsupportedReason(method, shape);
        if (unsupported is not null)
        {
            Report(plan, Descriptors.UnsupportedShape, location, method.Name, unsupported);
            methodPlan.Valid = false;
            return methodPlan;
        }

        foreach (LayerSpec layer in methodPlan.Layers)
        {
            ReadArguments(layer);
            if (string.IsNullOrWhiteSpace(layer.Name))
            {
                Fail(plan, methodPlan, Descriptors.InvalidArgument, layer.Location, layer.Kind, method.Name, "the name is empty; give the instance name its configuration uses");
            }

            if (layer.Permits < 1)
            {
                Fail(plan, methodPlan, Descriptors.InvalidArgument, layer.Location, layer.Kind, method.Name, $"Permits is {layer.Permits}, but it must be at least 1");
            }

            if (!methodPlan.IsAsync && (layer.Kind == LayerKind.TimeLimiter || layer.ThreadPool))
            {
                string what = layer.ThreadPool ? "Bulkhead(Type = BulkheadType.ThreadPool)" : "TimeLimiter";
                Fail(plan, methodPlan, Descriptors.SynchronousOnlyAsync, layer.Location, what, method.Name, method.ReturnType.ToDisplayString());
            }

            if (layer.FallbackMethod is not null)
            {
                FallbackResolver.Resolve(plan, methodPlan, layer, known);
            }
        }

        int retry = methodPlan.Layers.FindIndex(l => l.Kind == LayerKind.Retry);
        for (int i = retry + 1; retry >= 0 && i < methodPlan.Layers.Count; i++)
        {
            // A fallback that only takes our own rejections hides nothing: a rejection is not retried at once anyway.
            LayerSpec inner = methodPlan.Layers[i];
            if (inner.FallbackMethod is not null && !(inner.Fallbacks.Count > 0 && inner.Fallbacks.TrueForAll(f => known.IsRejection(f.ExceptionType))))
            {
                Report(plan, Descriptors.FallbackHidesFromRetry, methodPlan.Layers[i].Location, methodPlan.Layers[i].Kind, method.Name);
            }
        }

        return methodPlan;
    }

    private static LayerSpec? Find(LayerKind kind, DecoratorPlan plan, IMethodSymbol method, IMethodSymbol? implementation, KnownTypes known)
    {
        // Most specific first: the class member, the class, the interface member, its interface, the annotated interface.
        var carriers = new List<(ISymbol Carrier, INamedTypeSymbol Host)>();
        if (implementation is not null)
        {
            carriers.Add((implementation, implementation.ContainingType));
            carriers.Add((plan.Target, plan.Target));
        }

        carriers.Add((method, method.ContainingType));
        carriers.Add((method.ContainingType, method.ContainingType));
        if (!plan.IsClass && !SymbolEqualityComparer.Default.Equals(plan.Target, method.ContainingType))
        {
            carriers.Add((plan.Target, plan.Target));
        }

        foreach ((ISymbol carrier, INamedTypeSymbol host) in carriers)
        {
            foreach (AttributeData attribute in carrier.GetAttributes())
            {
                if (known.KindOf(attribute) == kind)
                {
                    return new LayerSpec(kind, attribute, host, carrier);
                }
            }
        }

        return null;
    }

    private static void ReadArguments(LayerSpec layer)
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

    private static string? UnsupportedReason(IMethodSymbol method, ReturnShape shape)
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

    private static void ReportNeverRuns(DecoratorPlan plan, HashSet<ISymbol> covered, KnownTypes known)
    {
        foreach (IMethodSymbol member in plan.Target.GetMembers().OfType<IMethodSymbol>())
        {
            if (covered.Contains(member))
            {
                continue;
            }

            foreach (AttributeData attribute in member.GetAttributes())
            {
                if (known.KindOf(attribute) is LayerKind kind)
                {
                    Location location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? member.Locations[0];
                    Report(plan, Descriptors.NeverRuns, location, kind, member.Name);
                }
            }
        }

        if (plan.Interfaces.Count == 0)
        {
            foreach (AttributeData attribute in plan.Target.GetAttributes())
            {
                if (known.KindOf(attribute) is LayerKind kind)
                {
                    Location location = attribute.ApplicationSyntaxReference?.GetSyntax().GetLocation() ?? plan.Target.Locations[0];
                    Report(plan, Descriptors.NeverRuns, location, kind, plan.Target.Name);
                }
            }
        }
    }

    private static bool IsLifetimeInterface(INamedTypeSymbol type, KnownTypes known) =>
        SymbolEqualityComparer.Default.Equals(type, known.Disposable) || SymbolEqualityComparer.Default.Equals(type, known.AsyncDisposable);

    internal static void Fail(DecoratorPlan plan, MethodPlan method, DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
    {
        method.Valid = false;
        Report(plan, descriptor, location, arguments);
    }

    internal static void Report(DecoratorPlan plan, DiagnosticDescriptor descriptor, Location location, params object?[] arguments) =>
        plan.Problems.Add(Diagnostic.Create(descriptor, location, arguments));
}
