using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Resilience.Tests.Docs;

/// <summary>
/// Each shipping package packs the README.md beside its project (docs/packages.md). These tests keep those READMEs
/// fit for a package feed: an install line with the package's id, code that is quoted verbatim from a
/// <c>// &lt;name&gt;</c> region of the samples or of the package consumer (which compiles against the packages
/// themselves), and no relative link or image, which would break outside the repository.
/// </summary>
public partial class PackageReadmeTests
{
    public static TheoryData<string> Packages() => new(ProjectNames());

    [Fact]
    public void Packages_AreTheFourShippingProjects()
    {
        ProjectNames().Should().BeEquivalentTo(
            "Resilience.Core", "Resilience.DependencyInjection", "Resilience.Http", "Resilience.AspNetCore");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void PackageId_ProjectFile_IsDistinctiveAndInTheReadmesInstallLine(string project)
    {
        string id = PackageId(project);

        id.Should().Be(project.Replace("Resilience.", "Resilience4Net.", StringComparison.Ordinal));
        Readme(project).Should().Contain("```\ndotnet add package " + id + "\n```", "the README says how to install the package");
    }

    [Theory]
    [MemberData(nameof(Packages))]
    public void Readme_CSharpBlocks_QuoteARegionVerbatim(string project)
    {
        string[] regions = [.. Regions().Values];
        string[] blocks = [.. CSharpBlockPattern().Matches(Readme(project)).Select(m => m.Groups["code"].Value)];

        blocks.Should().NotBeEmpty("a package README shows how to use the package");
        foreach (string block in blocks)
        {
            regions.Should().Contain(block, $"every code block of {project}'s README is a sample or package consumer region");
        }
    }

    [Fact]
    public void PackageConsumer_EveryPackageRegion_IsQuotedByAPackageReadme()
    {
        string readmes = string.Concat(ProjectNames().Select(Readme));
        Dictionary<string, string> consumerRegions = Regions().Where(r => r.Key.StartsWith("tests", StringComparison.Ordinal)).ToDictionary();

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

    private static string[] ProjectNames() =>
        [.. Directory.GetFiles(Path.Combine(RepositoryRoot(), "src"), "*.csproj", SearchOption.AllDirectories).Select(Path.GetFileNameWithoutExtension).OfType<string>()];

    private static string Readme(string project)
    {
        string path = Path.Combine(RepositoryRoot(), "src", project, "README.md");
        File.Exists(path).Should().BeTrue($"{project} packs its own README.md");
        return File.ReadAllText(path).ReplaceLineEndings("\n");
    }

    private static string PackageId(string project)
    {
        XDocument csproj = XDocument.Load(Path.Combine(RepositoryRoot(), "src", project, project + ".csproj"));
        return csproj.Descendants("PackageId").Single().Value;
    }

    /// <summary>The <c>// &lt;name&gt;</c> regions of samples/**/Program.cs and tests/PackageConsumer/*.cs, dedented, by file#name.</summary>
    private static Dictionary<string, string> Regions()
    {
        string root = RepositoryRoot();
        IEnumerable<string> files = Directory.GetFiles(Path.Combine(root, "samples"), "Program.cs", SearchOption.AllDirectories)
            .Concat(Directory.GetFiles(Path.Combine(root, "tests", "PackageConsumer"), "*.cs"));
        var regions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string file in files)
        {
            foreach (Match match in RegionPattern().Matches(File.ReadAllText(file)))
            {
                regions.Add(Path.GetRelativePath(root, file).Replace('\\', '/') + "#" + match.Groups["name"].Value, Dedent(match.Groups["body"].Value));
            }
        }

        return regions;
    }

    private static string Dedent(string body)
    {
        string[] lines = body.ReplaceLineEndings("\n").Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd(' ');
    }

    private static string RepositoryRoot()
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

    [GeneratedRegex(@"^[ \t]*// <(?<name>[a-z-]+)>\r?\n(?<body>.*?)^[ \t]*// </\k<name>>", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^```csharp\n(?<code>.*?)^```", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex CSharpBlockPattern();

    /// <summary>A Markdown link or image, <c>[text](target)</c> or <c>![alt](target)</c>, and a reference definition <c>[id]: target</c>.</summary>
    [GeneratedRegex(@"\]\((?<target>[^)\s]*)[^)]*\)|^\s*\[[^\]]+\]:\s*(?<target>\S+)", RegexOptions.Multiline)]
    private static partial Regex LinkPattern();
}
