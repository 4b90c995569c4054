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

    /// <summary>What a project with a Refit client adds: Refit's real assemblies and IHttpClientBuilder.</summary>
    private static readonly MetadataReference[] RefitReferences =
    [
        .. References,
        MetadataReference.CreateFromFile(typeof(Refit.GetAttribute).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(Refit.HttpClientFactoryExtensions).Assembly.Location),
        MetadataReference.CreateFromFile(typeof(IHttpClientBuilder).Assembly.Location),
    ];

    /// <summary>A Refit project that references Resilience.Http too, whose handler applies layers per request.</summary>
    private static readonly MetadataReference[] RefitHttpReferences =
    [
        .. RefitReferences,
        MetadataReference.CreateFromFile(typeof(Resilience.Http.HttpMethodLayers).Assembly.Location),
    ];

    /// <summary>Runs the generator over <paramref name="source"/>.</summary>
    /// <returns>The generated files by hint name, and the errors of the whole compilation after generation.</returns>
    /// <param name="source">The user's source.</param>
    /// <param name="order">The layer order property, if any.</param>
    /// <param name="refit">Whether the project references Refit.</param>
    /// <param name="http">Whether a Refit project references Resilience.Http too.</param>
    public static (IReadOnlyDictionary<string, string> Generated, IReadOnlyList<Diagnostic> Errors) Generate(string source, string? order = null, bool refit = false, bool http = true)
    {
        CSharpCompilation compilation = Compile(source, refit, http);
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
    public static async Task<IReadOnlyList<Diagnostic>> AnalyzeAsync(string source, string? order = null, bool refit = false, params (string Path, string Text)[] additionalFiles)
    {
        CompilationWithAnalyzers analyzed = Compile(source, refit, http: true).WithAnalyzers(
            [new ResilienceAnalyzer()],
            new AnalyzerOptions([.. additionalFiles.Select(f => (AdditionalText)new InMemoryText(f.Path, f.Text))], new Options(order)));
        ImmutableArray<Diagnostic> diagnostics = await analyzed.GetAnalyzerDiagnosticsAsync();
        return [.. diagnostics.OrderBy(d => d.Location.SourceSpan.Start)];
    }

    private static CSharpCompilation Compile(string source, bool refit, bool http) => CSharpCompilation.Create(
        "UserProject",
        [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest), path: "User.cs")],
        !refit ? References : http ? RefitHttpReferences : RefitReferences,
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
