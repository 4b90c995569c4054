namespace Resilience.Samples.Tests.Docs;

/// <summary>
/// The documentation (README.md, docs/**/*.md, src/*/README.md) against the repository: every C# block is a region
/// of a sample or a test, so it compiles; every sample region is quoted somewhere; every relative link resolves.
/// </summary>
public class DocsTests
{
    public static TheoryData<string> Files() => new(MarkdownDocs.Files(RepositoryRoot()));

    public static TheoryData<string> SampleRegions() =>
        new(MarkdownDocs.Regions(RepositoryRoot()).Keys.Where(k => k.StartsWith("samples/", StringComparison.Ordinal)));

    [Fact]
    public void Files_ReadmeAndDocsPages_AreAllChecked()
    {
        IReadOnlyList<string> files = MarkdownDocs.Files(RepositoryRoot());

        files.Should().Contain(["README.md", "docs/circuit-breaker.md", "docs/http.md", "docs/migration-from-polly.md"]);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CSharpBlocks_InDocumentationFile_AreRegionsOfSamplesOrTests(string file)
    {
        string root = RepositoryRoot();
        var regions = MarkdownDocs.Regions(root).Values.ToHashSet(StringComparer.Ordinal);

        IEnumerable<string> unmatched = MarkdownDocs.CodeBlocks(File.ReadAllText(Path.Combine(root, file)), "csharp")
            .Where(block => !regions.Contains(block));

        unmatched.Should().BeEmpty($"every ```csharp block of {file} must be a // <name> region of samples/ or tests/, verbatim");
    }

    [Theory]
    [MemberData(nameof(SampleRegions))]
    public void SampleRegion_IsQuotedVerbatimInTheDocumentation(string region)
    {
        string root = RepositoryRoot();
        string code = MarkdownDocs.Regions(root)[region];

        IEnumerable<string> quoting = MarkdownDocs.Files(root)
            .Where(f => MarkdownDocs.CodeBlocks(File.ReadAllText(Path.Combine(root, f)), "csharp").Contains(code));

        quoting.Should().NotBeEmpty($"the region {region} is there to be shown: quote it in the README or a page under docs/");
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RelativeLinks_InDocumentationFile_ResolveToFilesAndHeadings(string file)
    {
        MarkdownDocs.BrokenLinks(RepositoryRoot(), file).Should().BeEmpty();
    }

    internal static string RepositoryRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Resilience.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Resilience.sln not found above " + AppContext.BaseDirectory);
    }
}
