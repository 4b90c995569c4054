namespace Resilience.Attributes.Tests.Generator;

/// <summary>What the generator writes for each shape, and that it always compiles.</summary>
public class ResilienceGeneratorTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using Resilience.Attributes;

        """;

    [Theory]
    [InlineData("int", "int Get(int id);", "static int Fallback(int id, Exception e) => -1;")]
    [InlineData("void", "void Put(int id);", "static void Fallback(Exception e) { }")]
    [InlineData("Task", "Task PutAsync(int id, CancellationToken ct);", "static Task Fallback(int id, Exception e, CancellationToken ct) => Task.CompletedTask;")]
    [InlineData("Task<T>", "Task<int> GetAsync(int id, CancellationToken ct);", "static Task<int> Fallback(int id, CancellationToken ct, Exception e) => Task.FromResult(-1);")]
    [InlineData("ValueTask", "ValueTask PingAsync();", "static ValueTask Fallback(Exception e, CancellationToken ct) => default;")]
    [InlineData("ValueTask<T>", "ValueTask<string> NameAsync(CancellationToken ct);", "static ValueTask<string> Fallback(IOException e) => new(\"x\");")]
    public void Generate_EachReturnShapeWithFallback_CompilesAndRunsThroughTheChain(string shape, string member, string fallback)
    {
        string source = Usings + $$"""
            namespace Shop;
            public interface IService
            {
                [Retry("a", FallbackMethod = nameof(Fallback))]
                [CircuitBreaker("a")]
                {{member}}
                {{fallback}}
            }
            """;

        var (generated, errors) = Compiler.Generate(source);

        errors.Should().BeEmpty(shape);
        string code = generated.Should().ContainKey("Shop.IService.Resilience.g.cs").WhoseValue;
        code.Should().Contain("chains.GetChain(new global::Resilience.DependencyInjection.ResilienceLayerName(\"Retry\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"CircuitBreaker\", \"a\"))");
        code.Should().Contain("catch (global::System.").And.Contain("global::Shop.IService.Fallback(");
    }

    /// <summary>
    /// The whole output for one interface, compared with the reviewed file. After a deliberate change, run the test with
    /// <c>RESILIENCE_UPDATE_EXPECTED=1</c> to rewrite the file, and review its diff.
    /// </summary>
    [Fact]
    public void Generate_CanonicalInterface_MatchesTheReviewedOutput()
    {
        string folder = Path.Combine(AppContext.BaseDirectory, "Generator", "Expected");
        string source = File.ReadAllText(Path.Combine(folder, "InventoryService.cs.txt"));

        var (generated, errors) = Compiler.Generate(source);
        string actual = generated["Shop.IInventoryService.Resilience.g.cs"].ReplaceLineEndings("\n");
        if (Environment.GetEnvironmentVariable("RESILIENCE_UPDATE_EXPECTED") == "1")
        {
            File.WriteAllText(Path.Combine(SourceFolder(), "Expected", "InventoryService.g.cs.txt"), actual);
        }

        errors.Should().BeEmpty();
        actual.Should().Be(File.ReadAllText(Path.Combine(folder, "InventoryService.g.cs.txt")).ReplaceLineEndings("\n"));
    }

    [Theory]
    [InlineData("CircuitBreaker;Retry", "(\"CircuitBreaker\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"Retry\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"TimeLimiter\"")]
    [InlineData("bulkhead, timelimiter", "(\"Bulkhead\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"TimeLimiter\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"Retry\"")]
    [InlineData("Retry;Retry", "(\"Retry\", \"a\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"CircuitBreaker\", \"a\")")]
    public void Generate_LayerOrderProperty_NestsOutermostFirstAndFallsBackToTheDefaultWhenInvalid(string order, string expected)
    {
        string source = Usings + """
            namespace Shop;
            [Retry("a")]
            [CircuitBreaker("a")]
            [TimeLimiter("a")]
            [Bulkhead("a")]
            public interface IService { Task<int> GetAsync(); }
            """;

        var (generated, errors) = Compiler.Generate(source, order);

        errors.Should().BeEmpty();
        generated.Values.Single().Should().Contain("chains.GetChain(new global::Resilience.DependencyInjection.ResilienceLayerName" + expected);
    }

    [Fact]
    public void Generate_InvalidMember_ForwardsItWithoutLayersSoNothingElseBreaks()
    {
        string source = Usings + """
            namespace Shop;
            public interface IService
            {
                [TimeLimiter("a")] int Get();
                [CircuitBreaker("a", FallbackMethod = "Missing")] Task<int> GetAsync();
                [Retry("a")] void Out(out int value);
                [Retry("a")] Task<int> Ok();
            }
            """;

        var (generated, errors) = Compiler.Generate(source);

        errors.Should().BeEmpty();
        string code = generated.Values.Single();
        code.Should().Contain("int global::Shop.IService.Get()\n        => ((global::Shop.IService)_inner).Get();");
        code.Should().Contain("=> ((global::Shop.IService)_inner).GetAsync();");
        code.Should().Contain("void global::Shop.IService.Out(out int value)\n        => ((global::Shop.IService)_inner).Out(out value);");
        code.Should().Contain("private global::System.Threading.Tasks.ValueTask<int> Call0_0(");
    }

    [Fact]
    public void Generate_AnnotatedClass_DecoratesEachInterfaceButItsLifetimeOnes()
    {
        string source = Usings + """
            namespace Shop;
            public interface IReader { int Read(); }
            public interface IWriter { void Write(int value); }
            [CircuitBreaker("store")]
            public sealed class Store : IReader, IWriter, IDisposable
            {
                public int Read() => 1;
                [Retry("store")] public void Write(int value) { }
                public void Dispose() { }
            }
            """;

        var (generated, errors) = Compiler.Generate(source);

        errors.Should().BeEmpty();
        string code = generated.Should().ContainKey("Shop.Store.Resilience.g.cs").WhoseValue;
        code.Should().Contain("internal sealed class StoreResilienceDecorator : global::Shop.IReader, global::Shop.IWriter\n");
        code.Should().Contain("Register<global::Shop.IReader, global::Shop.Store>(").And.Contain("Register<global::Shop.IWriter, global::Shop.Store>(");
        code.Should().Contain("(\"Retry\", \"store\"), new global::Resilience.DependencyInjection.ResilienceLayerName(\"CircuitBreaker\", \"store\")");
    }

    [Fact]
    public void Generate_EveryKindOfMember_ForwardsWhatHasNoLayers()
    {
        string source = """
            using System;
            using Resilience.Attributes;
            public class Outer
            {
                [CircuitBreaker("a", Configuration = "shared")]
                public interface INested : IBase
                {
                    int this[int index] { get; set; }
                    string Name { get; }
                    event EventHandler Changed;
                    int Add(int @class, params int[] values);
                    T Echo<T>(T value);
                    ref int Slot(ref int value);
                }
            }
            public interface IBase { [RateLimiter("b", Permits = 3)] void Base(); }
            """;

        var (generated, errors) = Compiler.Generate(source);

        errors.Should().BeEmpty();
        string code = generated.Should().ContainKey("Outer.INested.Resilience.g.cs").WhoseValue;
        code.Should().NotContain("namespace ");
        code.Should().Contain("internal sealed class Outer_INestedResilienceDecorator : global::Outer.INested, global::IBase");
        code.Should().Contain("ResilienceLayerName(\"CircuitBreaker\", \"a\", \"shared\")").And.Contain("ResilienceLayerName(\"RateLimiter\", \"b\", null, 3)");
        code.Should().Contain("(this, @class, values)");
    }

    [Theory]
    [InlineData("public interface IPlain { int Get(); }")]
    [InlineData("[Retry(\"a\")] public interface IGeneric<T> { T Get(); }")]
    [InlineData("public class Holder { [Retry(\"a\")] private interface IHidden { int Get(); } }")]
    [InlineData("[Retry(\"a\")] public class NoInterface { public int Get() => 1; }")]
    public void Generate_NothingToDecorate_EmitsNothing(string declaration)
    {
        var (generated, errors) = Compiler.Generate(Usings + declaration);

        errors.Should().BeEmpty();
        generated.Should().BeEmpty();
    }

    private static string SourceFolder([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
