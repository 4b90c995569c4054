using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Resilience.Attributes.Generators;

/// <summary>
/// Generates a decorator for every interface and class that carries one of the resilience attributes (on itself or on
/// a member). It reports nothing: <see cref="ResilienceAnalyzer"/> does, from the same plan, and a member the plan
/// rejects is generated as a plain forwarder so that one error never cascades into others.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class ResilienceGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValueProvider<string?> order = context.AnalyzerConfigOptionsProvider.Select(static (options, _) =>
            options.GlobalOptions.TryGetValue(LayerOrder.PropertyKey, out string? value) ? value : null);

        IncrementalValueProvider<ImmutableArray<string>> targets = Targets(context, LayerKind.Retry)
            .Combine(Targets(context, LayerKind.CircuitBreaker))
            .Combine(Targets(context, LayerKind.RateLimiter))
            .Combine(Targets(context, LayerKind.TimeLimiter))
            .Combine(Targets(context, LayerKind.Bulkhead))
            .Select(static (all, _) => all.Left.Left.Left.Left.AddRange(all.Left.Left.Left.Right).AddRange(all.Left.Left.Right)
                .AddRange(all.Left.Right).AddRange(all.Right).Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToImmutableArray());

        // Planning reads the whole compilation, so it runs again on every edit; its output, plain text, is compared, and
        // only a decorator whose text changed reaches the output step (and the IDE's parse of generated files).
        IncrementalValueProvider<ImmutableArray<GeneratedFile>> files = targets.Combine(context.CompilationProvider).Combine(order)
            .Select(static (input, cancellationToken) =>
            {
                ((ImmutableArray<string> names, Compilation compilation), string? orderText) = input;
                KnownTypes known = KnownTypes.Of(compilation);
                LayerKind[] layers = LayerOrder.Parse(orderText, out _);
                ImmutableArray<GeneratedFile>.Builder generated = ImmutableArray.CreateBuilder<GeneratedFile>();
                foreach (string name in names)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    if (compilation.GetTypeByMetadataName(name) is INamedTypeSymbol type && DecoratorPlanner.Plan(type, known, layers) is { Emit: true } plan)
                    {
                        generated.Add(new GeneratedFile(name.Replace('+', '.') + ".Resilience.g.cs", Emitter.Emit(plan)));
                    }
                }

                return generated.ToImmutable();
            })
            .WithComparer(FilesComparer.Instance);

        context.RegisterSourceOutput(files, static (output, generated) =>
        {
            foreach (GeneratedFile file in generated)
            {
                output.AddSource(file.HintName, file.Source);
            }
        });
    }

    /// <summary>The metadata names of the types that carry one attribute, on themselves or on a method.</summary>
    private static IncrementalValueProvider<ImmutableArray<string>> Targets(IncrementalGeneratorInitializationContext context, LayerKind kind) =>
        context.SyntaxProvider.ForAttributeWithMetadataName(
            KnownTypes.Namespace + kind + "Attribute",
            static (node, _) => node is InterfaceDeclarationSyntax or ClassDeclarationSyntax or MethodDeclarationSyntax,
            static (attributed, _) => attributed.TargetSymbol switch
            {
                INamedTypeSymbol type => MetadataName(type),
                IMethodSymbol method => MetadataName(method.ContainingType),
                _ => null,
            })
        .Where(static name => name is not null)
        .Select(static (name, _) => name!)
        .Collect();

    internal static string MetadataName(INamedTypeSymbol type)
    {
        var names = new List<string>();
        for (INamedTypeSymbol? t = type; t is not null; t = t.ContainingType)
        {
            names.Insert(0, t.MetadataName);
        }

        string nested = string.Join("+", names);
        return type.ContainingNamespace.IsGlobalNamespace ? nested : type.ContainingNamespace.ToDisplayString() + "." + nested;
    }

    /// <summary>One generated file.</summary>
    private readonly struct GeneratedFile(string hintName, string source) : System.IEquatable<GeneratedFile>
    {
        public string HintName { get; } = hintName;

        public string Source { get; } = source;

        public bool Equals(GeneratedFile other) => HintName == other.HintName && Source == other.Source;

        public override bool Equals(object? obj) => obj is GeneratedFile other && Equals(other);

        public override int GetHashCode() => HintName.GetHashCode() ^ Source.Length;
    }

    /// <summary>Compares the generated files by content, so that an edit that changes no decorator changes no output.</summary>
    private sealed class FilesComparer : IEqualityComparer<ImmutableArray<GeneratedFile>>
    {
        public static readonly FilesComparer Instance = new();

        public bool Equals(ImmutableArray<GeneratedFile> x, ImmutableArray<GeneratedFile> y) => x.SequenceEqual(y);

        public int GetHashCode(ImmutableArray<GeneratedFile> obj) => obj.Length;
    }
}
