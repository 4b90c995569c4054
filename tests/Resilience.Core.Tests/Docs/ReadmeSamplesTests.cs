using System.Text.RegularExpressions;

namespace Resilience.Tests.Docs;

/// <summary>The README quotes the samples between <c>// &lt;name&gt;</c> markers; these tests keep the two identical, so README code always compiles.</summary>
public partial class ReadmeSamplesTests
{
    public static TheoryData<string, string> Regions()
    {
        var data = new TheoryData<string, string>();
        string root = RepositoryRoot();
        foreach (string file in Directory.GetFiles(Path.Combine(root, "samples"), "Program.cs", SearchOption.AllDirectories))
        {
            foreach (Match match in RegionPattern().Matches(File.ReadAllText(file)))
            {
                data.Add(Path.GetRelativePath(root, file) + "#" + match.Groups["name"].Value, Dedent(match.Groups["body"].Value));
            }
        }

        return data;
    }

    [Fact]
    public void Samples_HaveQuotedRegions()
    {
        Regions().Count.Should().BeGreaterThanOrEqualTo(9);
    }

    [Theory]
    [MemberData(nameof(Regions))]
    public void Readme_QuotesEverySampleRegionVerbatim(string region, string code)
    {
        string readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md")).ReplaceLineEndings("\n");

        readme.Should().Contain("```csharp\n" + code + "```", $"the README block for {region} must match the sample");
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
}
