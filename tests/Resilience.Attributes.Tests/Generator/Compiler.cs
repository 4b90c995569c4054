using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Resilience.Attributes.Generators;
using Resilience.DependencyInjection;

namespace Resilience.Attributes.Tests.Generator;

/// <summary>Compiles a test source as a user's project would be compiled: with the generator, then the analyzer.</summary>
internal static class Compiler
{
    private static readonly MetadataReference[] References =
    [
        .. Net100.References.All,
        MetadataReference.CreateFromFile(typeof(CircuitBreaker).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IResilienceChainProvider).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(RetryAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(ServiceCollection).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IServiceCollection).Assembly.Location),
    ];

    /// <summary>Runs the generator over <paramref name="source"/>.</summary>
    /// <returns>The generated files by hint name, and the errors of the whole compilation after generation.</returns>
    public static (IReadOnlyDictionary<string, string> Generated, IReadOnlyList<Diagnostic> Errors) Generate(string source, string? order = null)
    {
        CSharpCompilation compilation = Compile(source);
        GeneratorDriver driver = CSharpGeneratorDriver.Create(
            [new ResilienceGenerator().AsSourceGenerator()],
            optionsProvider: new Options(order),
            parseOptions: new CSharpParseOptions(LanguageVersion.Latest));
        driver = driver.RunGeneratorsAndUpdateCompilation(compilation, out Compilation output, out _);
        Dictionary<string, string> generated = driver.GetRunResult().GeneratedTrees
            .ToDictionary(t => Path.GetFileName(t.FilePath), t => t.ToString());
        List<Diagnostic> errors = [.. output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error)];
        return (generated, errors);
    }

    /// <summary>Runs the analyzer over <paramref name="source"/>.</summary>
    /// <returns>Its diagnostics, in source order.</returns>
    public static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(string source, string? order = null, params (string Path, string Text)[] additionalFiles)
    {
        CompilationWithAnalyzers analyzed = Compile(source).WithAnalyzers(
            [new ResilienceAnalyzer()],
            new AnalyzerOptions([.. additionalFiles.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text))], new Options(order)));
        ImmutableArray<Diagnostic> diagnostics = await analyzed.GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start)];
    }

    private static CSharpCompilation Compile(string source) => CSharpCompilation.Create(
        "UserProject",
        [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "User.cs")],
        References,
        new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private sealed class InMemoryText(string path, string text) : AdditionalText
    {
        public override string Path { get; } = path;

        public override Microsoft.CodeAnalysis.Text.SourceText GetText(CancellationToken cancellationToken = default) =>
            Microsoft.CodeAnalysis.Text.SourceText.From(text);
    }

    private sealed class Options(string? order) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions { get; } = new Values(order);

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => GlobalOptions;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => GlobalOptions;
    }

    private sealed class Values(string? order) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value)
        {
            value = key == "build_property.ResilienceAspectOrder" ? order : null;
            return value is not null;
        }
    }
}
