namespace Resilience.Samples.Tests.Docs;

public sealed class MarkdownDocsTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("docs-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void BrokenLinks_MissingFileImageAndHeading_ReportsEachAndNothingElse()
    {
        Write("docs/page.md", "# Page\n\n## The open wait (`WaitDurationInOpenState`)\n\n## Events & metrics\n");
        Write("docs/shot.png", "");
        Write("README.md", """
            # Title
            [page](docs/page.md) [wait](docs/page.md#the-open-wait-waitdurationinopenstate) [events](docs/page.md#events--metrics)
            ![shot](docs/shot.png) [self](#title) [web](https://example.com/x.md#nowhere) `[code](nowhere.md)`
            [gone](docs/gone.md) ![image](docs/gone.png) [heading](docs/page.md#no-such-heading) [self](#missing)
            ```text
            [in a block](block.md)
            ```
            """);

        IReadOnlyList<string> broken = MarkdownDocs.BrokenLinks(_root, "README.md");

        broken.Should().Equal(
            "README.md: docs/gone.md (no such file)",
            "README.md: docs/gone.png (no such file)",
            "README.md: docs/page.md#no-such-heading (no such heading)",
            "README.md: #missing (no such heading)");
    }

    [Fact]
    public void BrokenLinks_RelativeToThePageFolder_ResolvesFromThere()
    {
        Write("docs/a.md", "[b](b.md#b) [up](../README.md) [wrong](docs/b.md)\n");
        Write("docs/b.md", "# B\n");
        Write("README.md", "# R\n");

        MarkdownDocs.BrokenLinks(_root, "docs/a.md").Should().Equal("docs/a.md: docs/b.md (no such file)");
    }

    [Fact]
    public void Anchors_RepeatedHeadings_AreNumberedAsGitHubDoes()
    {
        MarkdownDocs.Anchors("# Deviations\n## Deviations\n### Deviations from Resilience4j\n")
            .Should().BeEquivalentTo(["deviations", "deviations-1", "deviations-from-resilience4j"]);
    }

    [Fact]
    public void CodeBlocks_OfOneLanguage_ReturnsTheirBodies()
    {
        MarkdownDocs.CodeBlocks("```csharp\nint a;\n```\n```java\nint b;\n```\n", "csharp").Should().Equal("int a;\n");
    }

    [Fact]
    public void Files_PackageReadmes_AreIncluded()
    {
        Write("README.md", "");
        Write("docs/x/y.md", "");
        Write("src/Pkg/README.md", "");
        Write("src/Other/code.cs", "");

        MarkdownDocs.Files(_root).Should().Equal("README.md", "docs/x/y.md", "src/Pkg/README.md");
    }

    private void Write(string relative, string text)
    {
        string path = Path.Combine(_root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
