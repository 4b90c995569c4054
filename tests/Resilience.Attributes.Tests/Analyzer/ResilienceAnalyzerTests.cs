using Microsoft.CodeAnalysis;
using Resilience.Attributes.Tests.Generator;

namespace Resilience.Attributes.Tests.Analyzer;

/// <summary>Every diagnostic, with the source that triggers it, where it points, and what it says.</summary>
public class ResilienceAnalyzerTests
{
    private const string Usings = """
        using System;
        using System.IO;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;
        using Resilience.Attributes;
        namespace Shop;

        """;

    [Theory]
    [InlineData("RES1001", """[CircuitBreaker("a", FallbackMethod = "Missing")] int Get();""", "Fallback method 'Missing' of [CircuitBreaker] on 'Get' does not exist on 'IService'")]
    [InlineData("RES1002", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get(int id); static int Fb(string id, Exception e) => 0;""", "Fallback 'Fb' of 'Get' has parameters (string, System.Exception); expected (int, TException)*")]
    [InlineData("RES1003", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] Task<int> GetAsync(); static int Fb(Exception e) => 0;""", "Fallback 'Fb' of 'GetAsync' returns 'int'; it must return 'System.Threading.Tasks.Task<int>'*")]
    [InlineData("RES1003", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] string Get(); static object Fb(Exception e) => "";""", "Fallback 'Fb' of 'Get' returns 'object'; it must return 'string'*")]
    [InlineData("RES1004", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get(int id); static int Fb(IOException e) => 0; static int Fb(int id, IOException e) => 1;""", "Fallback 'Fb' of 'Get' has two overloads for 'System.IO.IOException'")]
    [InlineData("RES1005", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get(); static int Fb(string notAnException) => 0;""", "The last parameter of fallback 'Fb' of 'Get' is 'string', which is not an Exception")]
    [InlineData("RES1006", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get(); private static int Fb(Exception e) => 0;""", "Fallback 'Fb' of 'Get' is private*")]
    [InlineData("RES1007", """[CircuitBreaker("a", FallbackMethod = nameof(Fb))] Task<int> GetAsync(); static Task<int> Fb(OperationCanceledException e) => Task.FromResult(0);""", "*never receives the caller's own cancellation*")]
    [InlineData("RES1008", """[TimeLimiter("a")] int Get();""", "[TimeLimiter] on 'Get' needs an asynchronous method*returns 'int'")]
    [InlineData("RES1008", """[Bulkhead("a", Type = BulkheadType.ThreadPool)] void Put();""", "[Bulkhead(Type = BulkheadType.ThreadPool)] on 'Put'*")]
    [InlineData("RES1009", """[Retry("a")] void Put(ref int value);""", "'Put' cannot be decorated: parameter 'value' is passed by reference (ref)*")]
    [InlineData("RES1009", """[Retry("a")] IAsyncEnumerable<int> Stream();""", "*IAsyncEnumerable<T> results are not supported*")]
    [InlineData("RES1009", """[Retry("a")] ref int Slot();""", "*ref returns are not supported")]
    [InlineData("RES1009", """[Retry("a")] T Echo<T>(T value);""", "*generic methods are not supported yet")]
    [InlineData("RES1009", """[Retry("a")] int Length(ReadOnlySpan<char> text);""", "*ref struct or a pointer*")]
    [InlineData("RES1009", """[Retry("a")] int Get(); static abstract int Create();""", "'IService' cannot be decorated: 'IService' has static abstract members*")]
    [InlineData("RES1012", """[Retry(" ")] int Get();""", "[Retry] on 'Get': the name is empty*")]
    [InlineData("RES1012", """[RateLimiter("a", Permits = 0)] int Get();""", "[RateLimiter] on 'Get': Permits is 0, but it must be at least 1")]
    [InlineData("RES1013", """[Retry("a")][CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get(); static int Fb(Exception e) => 0;""", "The fallback of [CircuitBreaker] on 'Get' turns failures into results inside [Retry]*")]
    public async Task Analyze_InterfaceMember_ReportsTheDiagnostic(string id, string member, string? message)
    {
        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(Usings + "public interface IService\n{\n    " + member + "\n}\n");

        Diagnostic diagnostic = diagnostics.Should().ContainSingle(d => d.Id == id).Subject;
        if (message is not null)
        {
            diagnostic.GetMessage().Should().Match(message);
        }

        diagnostic.Location.IsInSource.Should().BeTrue();
        diagnostics.Where(d => d.Id != id).Should().BeEmpty();
    }

    [Fact]
    public async Task Analyze_ValidFallbacksOfEveryShape_ReportsNothing()
    {
        const string source = Usings + """
            public interface IService
            {
                [Retry("a", FallbackMethod = nameof(Fb))] Task<object> GetAsync(int id, CancellationToken ct);
                [CircuitBreaker("b", FallbackMethod = nameof(Count))] int Total();
                static Task<object> Fb(int id, IOException e, CancellationToken ct) => Task.FromResult<object>(1);
                static Task<object> Fb(int id, CancellationToken ct, TimeoutException e) => Task.FromResult<object>(2);
                static Task<object> Fb(Exception e, CancellationToken ct) => Task.FromResult<object>(3);
                static int Count(Exception e) => 0;
            }
            """;

        (await Compiler.AnalyzeAsync(source)).Should().BeEmpty();
    }

    [Fact]
    public async Task Analyze_InnerFallbackForRejectionsOnly_DoesNotWarnAboutTheRetry()
    {
        const string source = Usings + """
            public interface IService
            {
                [Retry("a")][CircuitBreaker("a", FallbackMethod = nameof(Fb))] int Get();
                static int Fb(Resilience.CallNotPermittedException e) => 0;
                static int Fb(Resilience.ResilienceRejectedException e) => 1;
            }
            """;

        (await Compiler.AnalyzeAsync(source)).Should().BeEmpty("a rejection by one of our own layers is not retried at once, so nothing is hidden from the retry");
    }

    [Fact]
    public async Task Analyze_ClassMemberNoInterfaceExposes_WarnsItNeverRuns()
    {
        const string source = Usings + """
            public interface IService { int Get(); }
            public class Service : IService
            {
                public int Get() => Helper();
                [Retry("a")] public int Helper() => 1;
            }
            [CircuitBreaker("c")] public class Lonely { public int Get() => 1; }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source);

        diagnostics.Where(d => d.Id == "RES1010").Select(d => d.GetMessage()).Should().BeEquivalentTo(
            "[Retry] on 'Helper' never runs: 'Helper' implements no member of an interface, and only interface calls go through the generated decorator",
            "[CircuitBreaker] on 'Lonely' never runs: 'Lonely' implements no member of an interface, and only interface calls go through the generated decorator");
    }

    [Fact]
    public async Task Analyze_CallThroughThis_WarnsItBypassesTheDecorator()
    {
        const string source = Usings + """
            [CircuitBreaker("a")] public interface IService { int Get(); int Twice(); }
            public class Service : IService
            {
                public int Get() => 1;
                public int Twice() => Get() + this.Get();
            }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source);

        diagnostics.Where(d => d.Id == "RES1011").Should().HaveCount(2).And.OnlyContain(d => d.GetMessage().Contains("'Get'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Analyze_RefitPostWithRetryAndReflectionClient_Warns()
    {
        const string source = Usings + """
            public interface IOrders
            {
                [Refit.Post("/orders")] [Retry("orders")] Task<int> CreateAsync();
                [Refit.Get("/orders")] [Retry("orders")] Task<int> ListAsync();
            }
            public static class Setup
            {
                public static void Register() => Refit.Registration.AddRefitClient<IOrders>();
            }
            """ + """

            namespace Refit
            {
                public sealed class PostAttribute(string path) : System.Attribute { public string Path { get; } = path; }
                public sealed class GetAttribute(string path) : System.Attribute { public string Path { get; } = path; }
                public static class Registration { public static void AddRefitClient<T>() { } }
            }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source.Replace("namespace Shop;", "namespace Shop {", StringComparison.Ordinal).Replace("\n\nnamespace Refit", "}\nnamespace Refit", StringComparison.Ordinal));

        diagnostics.Should().ContainSingle(d => d.Id == "RES1014").Which.GetMessage().Should().Be("[Retry] on 'CreateAsync', a Refit POST method: a retried POST may be applied twice by the server");
        diagnostics.Should().ContainSingle(d => d.Id == "RES1015").Which.GetMessage().Should().Contain("'IOrders'");
    }

    [Fact]
    public async Task Analyze_RealRefitPostWithRetryAndAddRefitClient_Warns()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            using Refit;
            using Resilience.Attributes;
            namespace Shop;
            public interface IOrders
            {
                [Post("/orders")] [Retry("orders")] Task<int> CreateAsync([Body] string order);
                [Patch("/orders/{id}")] [Retry("orders")] Task<int> RenameAsync(int id, [Body] string name);
                [Get("/orders")] [Retry("orders")] Task<int> ListAsync();
            }
            public static class Setup
            {
                public static void Register(IServiceCollection services) => services.AddRefitClient<IOrders>();
            }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source, refit: true);

        diagnostics.Where(d => d.Id == "RES1014").Select(d => d.GetMessage()).Should().Equal(
            "[Retry] on 'CreateAsync', a Refit POST method: a retried POST may be applied twice by the server",
            "[Retry] on 'RenameAsync', a Refit PATCH method: a retried PATCH may be applied twice by the server");
        diagnostics.Should().ContainSingle(d => d.Id == "RES1015").Which.GetMessage().Should().Be(
            "'IOrders' carries resilience attributes but is registered with AddRefitClient; use AddRefitGeneratedClient, whose client is generated at compile time");
    }

    [Fact]
    public async Task Analyze_RefitOverloadsWithDifferentPerRequestNames_ReportsTheConflict()
    {
        const string source = """
            using System.Threading.Tasks;
            using Refit;
            using Resilience.Attributes;
            namespace Shop;
            public interface IOrders
            {
                [Get("/orders")] [Retry("orders")] Task<int> ListAsync();
                [Get("/orders/{page}")] [Retry("orders-paged")] Task<int> ListAsync(int page);
                [Get("/items")] [Retry("items")] Task<int> ItemsAsync();
                [Get("/items/{page}")] [Retry("items")] Task<int> ItemsAsync(int page);
            }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source, refit: true);

        diagnostics.Should().ContainSingle().Which.GetMessage().Should().Be(
            "The overloads of 'ListAsync' name different per-request layers (Retry(\"orders\"), and Retry(\"orders-paged\")); Refit tells the handler only the method's name, so give the overloads the same [Retry] and [CircuitBreaker] names, or different method names");
    }

    [Fact]
    public async Task Analyze_RealRefitGetRegisteredWithAddRefitGeneratedClient_ReportsNothing()
    {
        const string source = """
            using System.Threading.Tasks;
            using Microsoft.Extensions.DependencyInjection;
            using Refit;
            using Resilience.Attributes;
            namespace Shop;
            public interface IOrders
            {
                [Get("/orders")] [Retry("orders")] [CircuitBreaker("orders")] Task<int> ListAsync();
            }
            public static class Setup
            {
                public static void Register(IServiceCollection services) => services.AddRefitGeneratedClient<IOrders>();
            }
            """;

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(source, refit: true);

        diagnostics.Should().BeEmpty();
    }

    [Theory]
    [InlineData("Retry;Hedging", "'Hedging' is not a layer")]
    [InlineData("Retry;CircuitBreaker;retry", "'retry' is named twice")]
    [InlineData("1", "'1' is not a layer")]
    public async Task Analyze_InvalidLayerOrder_ReportsIt(string order, string reason)
    {
        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(Usings + "public interface IService { [Retry(\"a\")] int Get(); }", order);

        diagnostics.Should().ContainSingle(d => d.Id == "RES1018").Which.GetMessage().Should().StartWith($"ResilienceAspectOrder '{order}': {reason}");
    }

    [Fact]
    public async Task Analyze_NamesAgainstSettingsFiles_WarnsAboutEachNameNoFileConfigures()
    {
        const string source = Usings + """
            public interface IService
            {
                [Retry("inventory")] [CircuitBreaker("inventroy")] int Get();
                [Bulkhead("pricing", Type = BulkheadType.ThreadPool)] Task<int> PriceAsync();
                [RateLimiter("reports", Configuration = "strict")] [TimeLimiter("fast", Configuration = "default")] Task<int> ReportAsync();
                [CircuitBreaker("orders", Configuration = "shraed")] int Orders();
            }
            """;
        const string settings = """
            {
              // comments and trailing commas, as the configuration reader accepts them
              "Resilience": {
                "CircuitBreaker": { "Configs": { "shared": { "SlidingWindowSize": 10 } }, "Instances": { "inventory": { "MinimumNumberOfCalls": 5, }, } },
                "Retry": { "Instances": { "inventory": { "RetryExceptions": [ "System.IO.IOException" ] } } },
                "RateLimiter": { "Configs": { "strict": { "LimitForPeriod": 1 } } }
              }
            }
            """;
        const string production = """{ "Resilience": { "ThreadPoolBulkhead": { "Instances": { "pricing": { "MaxThreadPoolSize": 4 } } } } }""";

        IReadOnlyList<Diagnostic> diagnostics = await Compiler.AnalyzeAsync(
            source, null, false, ("/app/appsettings.json", settings), ("/app/appsettings.Production.json", production), ("/app/other.json", "{}"));

        diagnostics.Select(d => d.GetMessage()).Should().BeEquivalentTo(
            "[CircuitBreaker] names instance 'inventroy', which no appsettings*.json configures under Resilience:CircuitBreaker:Instances; it would be created from the default configuration (did you mean 'inventory'?)",
            "[CircuitBreaker] names configuration 'shraed', which no appsettings*.json configures under Resilience:CircuitBreaker:Configs; it would be created from the default configuration (did you mean 'shared'?)");
        diagnostics.Should().OnlyContain(d => d.Id == "RES1016");
    }

    [Fact]
    public async Task Analyze_NoSettingsFilePassed_DoesNotCheckNames()
    {
        (await Compiler.AnalyzeAsync(Usings + "public interface IService { [Retry(\"anything\")] int Get(); }", null, false, ("/app/other.json", "{}"))).Should().BeEmpty();
    }

    [Fact]
    public async Task Analyze_InterfaceProblemSeenFromItsClassToo_ReportedOnce()
    {
        const string source = Usings + """
            public interface IService { [TimeLimiter("a")] int Get(); }
            [Retry("b")] public class Service : IService { public int Get() => 1; }
            """;

        (await Compiler.AnalyzeAsync(source)).Where(d => d.Id == "RES1008").Should().ContainSingle();
    }

    [Fact]
    public async Task Analyze_NoAttributesPackage_ReportsNothing()
    {
        (await Compiler.AnalyzeAsync("public interface IService { int Get(); }")).Should().BeEmpty();
    }
}
