using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Resilience.Attributes.Generators;

namespace Resilience.Attributes.Tests.Generator;

/// <summary>An edit that changes no decorator's text reaches no output, so an IDE does not re-read generated files.</summary>
public class IncrementalTests
{
    private const string Service = """
        using System.Threading.Tasks;
        using Resilience.Attributes;
        namespace Shop;
        [Retry("a")] public interface IService { Task<int> GetAsync(); }
        """;

    [Fact]
    public void Run_UnrelatedEditThenRelatedEdit_OutputCachedThenModified()
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        CSharpCompilation compilation = CSharpCompilation.Create("User", [CSharpSyntaxTree.ParseText(Service, parse)],
            [.. Net100.References.All, MetadataReference.CreateFromFile(typeof(RetryAttribute).Assembly.Location)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        GeneratorDriver driver = CSharpGeneratorDriver.Create([new ResilienceGenerator().AsSourceGenerator()], parseOptions: parse,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: true));
        driver = driver.RunGenerators(compilation);

        CSharpCompilation unrelated = compilation.AddSyntaxTrees(CSharpSyntaxTree.ParseText("namespace Shop; public class Other { }", parse));
        driver = driver.RunGenerators(unrelated);
        Reasons(driver).Should().OnlyContain(r => r == IncrementalStepRunReason.Cached || r == IncrementalStepRunReason.Unchanged);

        SyntaxTree edited = CSharpSyntaxTree.ParseText(Service.Replace("Task<int> GetAsync();", "Task<int> GetAsync(); int Count();", StringComparison.Ordinal), parse);
        driver = driver.RunGenerators(unrelated.ReplaceSyntaxTree(unrelated.SyntaxTrees.First(), edited));
        Reasons(driver).Should().Contain(IncrementalStepRunReason.Modified);
    }

    private static IEnumerable<IncrementalStepRunReason> Reasons(GeneratorDriver driver) =>
        driver.GetRunResult().Results[0].TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(step => step.Outputs).Select(o => o.Reason);
}
