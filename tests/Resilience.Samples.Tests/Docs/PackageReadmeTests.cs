using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Resilience.Samples.Tests.Docs;

/// <summary>
/// Each shipping package packs the README.md beside its project (docs/packages.md). These tests keep those READMEs
/// fit for a package feed: an install line with the package's id, code that is quoted verbatim from a
/// <c>// &lt;name&gt;</c> region of the samples or of the package consumer (which compiles against the packages
/// themselves), and no relative link or image, which would break outside the repository. That each C# block is a
/// region at all is <see cref="DocsTests"/>' check, which reads the package READMEs with the rest of the documentation.
/// </summary>
public partial class PackageReadmeTests
{
    private static readonly string Root = DocsTests.RepositoryRoot();

    public static TheoryData<string> Packages() => new(ProjectNames());

    [Fact]
    public void Packages_AreTheShippingProjects()
    {
        ProjectNames().Should().BeEquivalentTo(
            "Resilience.Core", "Resilience.DependencyInjection", "Resilience.Http", "Resilience.AspNetCore", "Resilience.Attributes",
            "Resilience.Discovery", "Resilience.Identity", "Resilience.Routing");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PackageId_ProjectFile_IsDistinctiveAndInTheReadmesInstallLine(string project)
    {
        string id = PackageId(project);

        id.Should().Be(project.Replace("Resilience.", "Resilience4Net.", StringComparison.Ordinal));
        Readme(project).Should().Contain("```\ndotnet add package " + id + "\n```", "the README says how to install the package");
    }

    [Fact]
    public void PackageConsumer_EveryPackageRegion_IsQuotedByAPackageReadme()
    {
        string readmes = string.Concat(ProjectNames().Select(Readme));
        Dictionary<string, string> consumerRegions = MarkdownDocs.Regions(Root)
            .Where(r => r.Key.StartsWith("tests/PackageConsumer/", StringComparison.Ordinal)).ToDictionary();

        consumerRegions.Should().HaveCountGreaterThanOrEqualTo(4);
        foreach ((string region, string code) in consumerRegions)
        {
            readmes.Should().Contain("```csharp\n" + code + "```", $"the package consumer keeps {region} for a package README");
        }
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_LinksAndImages_AreAbsolute(string project)
    {
        string readme = Readme(project);

        foreach (Match link in LinkPattern().Matches(readme))
        {
            link.Groups["target"].Value.Should().StartWith("https://", $"a relative link breaks outside the repository: {link.Value}");
        }

        readme.Should().NotContain("<img", "an image is a link too; use none");
    }

    /// <summary>The projects under src/ that are packages: those with a package id (the attributes' generator ships inside one).</summary>
    private static string[] ProjectNames() =>
        [.. Directory.GetFiles(Path.Combine(Root, "src"), "*.csproj", SearchOption.AllDirectories)
            .Where(path => XDocument.Load(path).Descendants("PackageId").Any())
            .Select(Path.GetFileNameWithoutExtension).OfType<string>()];

    private static string Readme(string project)
    {
        string path = Path.Combine(Root, "src", project, "README.md");
        File.Exists(path).Should().BeTrue($"{project} packs its own README.md");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    private static string PackageId(string project)
    {
        XDocument csproj = XDocument.Load(Path.Combine(Root, "src", project, project + ".csproj"));
        return csproj.Descendants("PackageId").Single().Value;
    }

    /// <summary>A Markdown link or image, <c>[text](target)</c> or <c>![alt](target)</c>, and a reference definition <c>[id]: target</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]*)[^)]*\)|^\s*\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex LinkPattern();
}
