using Resilience.Attributes.Generators;

namespace Resilience.Attributes.Tests.Analyzer;

/// <summary>The analyzer's small JSON reader: the configuration paths of a settings file.</summary>
public class JsonKeysTests
{
    [Fact]
    public void Read_NestedObjectsArraysAndEscapes_GivesEveryKeyPath()
    {
        const string json = """
            /* block comment */ {
              "A": { "B\u0043": [ { "D": 1 }, true, null, -2.5e3 ], "E\"F": "x\\n" },
              "G": {}
            }
            """;

        JsonKeys.Read(json).Should().BeEquivalentTo("A", "A:BC", "A:BC:0:D", "A:E\"F", "G");
    }

    [Fact]
    public void Read_TruncatedFile_KeepsWhatCameBeforeTheProblem()
    {
        JsonKeys.Read("""{ "Resilience": { "Retry": { "Instances": { "a": """).Should()
            .BeEquivalentTo("Resilience", "Resilience:Retry", "Resilience:Retry:Instances", "Resilience:Retry:Instances:a");
        JsonKeys.Read("""{ "x" 1 }""").Should().BeEquivalentTo("x");
    }

    [Fact]
    public void Read_Paths_CompareWithoutRegardToCase()
    {
        JsonKeys.Read("""{ "Resilience": { "retry": {} } }""").Should().Contain("RESILIENCE:Retry");
    }
}
