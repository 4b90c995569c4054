using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Reports, at compile time, every mistake Resilience4j finds only at run time: fallbacks that do not exist or do not
/// match, layers that cannot run on a method, unsupported shapes, attributes that never run, calls that bypass the
/// decorator, and an invalid layer order.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResilienceAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.FallbackNotFound, Descriptors.FallbackParameters, Descriptors.FallbackReturnType, Descriptors.FallbackDuplicate,
        Descriptors.FallbackNotException, Descriptors.FallbackInaccessible, Descriptors.FallbackCatchesCancellation,
        Descriptors.SynchronousOnlyAsync, Descriptors.UnsupportedShape, Descriptors.NeverRuns, Descriptors.SelfCall,
        Descriptors.InvalidArgument, Descriptors.FallbackHidesFromRetry, Descriptors.RetryNotIdempotent,
        Descriptors.RefitReflectionClient, Descriptors.NotConfigured, Descriptors.RefitOverloadConflict, Descriptors.InvalidOrder);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            KnownTypes known = KnownTypes.Of(start.Compilation);
            if (known.Attributes.All(a => a is null))
            {
                return;
            }

            start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue(LayerOrder.PropertyKey, out string? orderText);
            LayerKind[] order = LayerOrder.Parse(orderText, out string? orderError);
            if (orderError is not null)
            {
                start.RegisterCompilationEndAction(end => end.ReportDiagnostic(Diagnostic.Create(Descriptors.InvalidOrder, Location.None, orderText, orderError)));
            }

            var reported = new ConcurrentDictionary<string, bool>();
            ConfiguredNames? configured = ConfiguredNames.Read(start.Options, start.CancellationToken);
            start.RegisterSymbolAction(symbol => AnalyzeType(symbol, known, order, configured, reported), SymbolKind.NamedType);
            start.RegisterOperationAction(operation => AnalyzeInvocation(operation, known), OperationKind.Invocation);
        });
    }

    private static void AnalyzeType(SymbolAnalysisContext context, KnownTypes known, LayerKind[] order, ConfiguredNames? configured, ConcurrentDictionary<string, bool> reported)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Interface or TypeKind.Class) || !(known.HasAny(type) || type.GetMembers().Any(known.HasAny)))
        {
            return;
        }

        DecoratorPlan plan = DecoratorPlanner.Plan(type, known, order);
        IEnumerable<Diagnostic> names = configured?.Check(plan) ?? Enumerable.Empty<Diagnostic>();
        foreach (Diagnostic diagnostic in plan.Problems.Concat(RefitChecks.NonIdempotentRetries(plan)).Concat(RefitChecks.ConflictingOverloads(plan)).Concat(names))
        {
            // A class's plan meets its interfaces' attributes again: report each problem once.
            if (reported.TryAdd($"{diagnostic.Id}|{diagnostic.Location}|{diagnostic.GetMessage()}", true))
            {
                context.ReportDiagnostic(diagnostic);
            }
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, KnownTypes known)
    {
        var invocation = (IInvocationOperation)context.Operation;
        IMethodSymbol method = invocation.TargetMethod;
        if (invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }
            && method.ContainingType.TypeKind == TypeKind.Class && IsDecorated(method, known))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SelfCall, invocation.Syntax.GetLocation(), method.Name));
        }

        if (method.Name == "AddRefitClient" && method.TypeArguments.Length == 1 && method.TypeArguments[0] is INamedTypeSymbol client
            && (known.HasAny(client) || client.GetMembers().Any(known.HasAny)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.RefitReflectionClient, invocation.Syntax.GetLocation(), client.Name));
        }
    }

    private static bool IsDecorated(IMethodSymbol method, KnownTypes known)
    {
        INamedTypeSymbol type = method.ContainingType;
        foreach (INamedTypeSymbol @interface in type.AllInterfaces)
        {
            foreach (IMethodSymbol member in @interface.GetMembers().OfType<IMethodSymbol>())
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(member), method)
                    && (known.HasAny(method) || known.HasAny(type) || known.HasAny(member) || known.HasAny(@interface)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
