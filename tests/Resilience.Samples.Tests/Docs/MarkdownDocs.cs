using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Resilience.Samples.Tests.Docs;

/// <summary>
/// Reads the repository's Markdown documentation: which files it is made of, the C# blocks it quotes, the regions of
/// code those blocks must come from, and the relative links (to files, images and anchors) that must resolve.
/// </summary>
internal static partial class MarkdownDocs
{
    /// <summary>The documentation: README.md, every page under docs/, and every package README under src/.</summary>
    public static IReadOnlyList<string> Files(string root)
    {
        var files = new List<string> { Path.Combine(root, "README.md") };
        string docs = Path.Combine(root, "docs");
        if (Directory.Exists(docs))
        {
            files.AddRange(Directory.GetFiles(docs, "*.md", SearchOption.AllDirectories));
        }

        files.AddRange(Directory.GetDirectories(Path.Combine(root, "src"))
            .Select(d => Path.Combine(d, "README.md"))
            .Where(File.Exists));
        return files.Select(f => Path.GetRelativePath(root, f).Replace('\\', '/')).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The <c>// &lt;name&gt;</c> regions of samples/**/*.cs and tests/**/*.cs, keyed by file and name, dedented.</summary>
    public static IReadOnlyDictionary<string, string> Regions(string root)
    {
        var regions = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (string folder in new[] { "samples", "tests" })
        {
            foreach (string file in Directory.GetFiles(Path.Combine(root, folder), "*.cs", SearchOption.AllDirectories))
            {
                string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (Match match in RegionPattern().Matches(File.ReadAllText(file)))
                {
                    regions[relative + "#" + match.Groups["name"].Value] = Dedent(match.Groups["body"].Value);
                }
            }
        }

        return regions;
    }

    /// <summary>The bodies of the fenced blocks of one language, each ending with its last newline.</summary>
    public static IReadOnlyList<string> CodeBlocks(string markdown, string language) =>
        FencePattern().Matches(markdown.ReplaceLineEndings("\n"))
            .Where(m => m.Groups["lang"].Value == language)
            .Select(m => m.Groups["body"].Value)
            .ToList();

    /// <summary>Every relative link or image target of <paramref name="file"/> that names no file, or no heading of it.</summary>
    public static IReadOnlyList<string> BrokenLinks(string root, string file)
    {
        string path = Path.Combine(root, file);
        string text = File.ReadAllText(path);
        var broken = new List<string>();
        foreach (string target in LinkTargets(text))
        {
            if (target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal))
            {
                continue;
            }

            int hash = target.IndexOf('#', StringComparison.Ordinal);
            string relative = Uri.UnescapeDataString(hash < 0 ? target : target[..hash]);
            string? anchor = hash < 0 ? null : target[(hash + 1)..];
            string resolved = relative.Length == 0
                ? path
                : Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, relative));
            if (!File.Exists(resolved) && !Directory.Exists(resolved))
            {
                broken.Add($"{file}: {target} (no such file)");
            }
            else if (anchor is not null && (!File.Exists(resolved) || !Anchors(File.ReadAllText(resolved)).Contains(anchor)))
            {
                broken.Add($"{file}: {target} (no such heading)");
            }
        }

        return broken;
    }

    /// <summary>The targets of the Markdown links and images outside code, in order.</summary>
    public static IReadOnlyList<string> LinkTargets(string markdown)
    {
        string prose = InlineCodePattern().Replace(FencePattern().Replace(markdown.ReplaceLineEndings("\n"), ""), "");
        return LinkPattern().Matches(prose).Select(m => m.Groups["target"].Value).ToList();
    }

    /// <summary>The anchors GitHub gives the headings of a page: lowercase, punctuation dropped, spaces to '-', repeats numbered.</summary>
    public static IReadOnlySet<string> Anchors(string markdown)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        string prose = FencePattern().Replace(markdown.ReplaceLineEndings("\n"), "");
        foreach (Match heading in HeadingPattern().Matches(prose))
        {
            var slug = new StringBuilder();
            foreach (char c in heading.Groups["text"].Value.Trim().ToLowerInvariant())
            {
                UnicodeCategory category = char.GetUnicodeCategory(c);
                if (char.IsLetterOrDigit(c) || c is '-' or '_' || category is UnicodeCategory.NonSpacingMark)
                {
                    slug.Append(c);
                }
                else if (c == ' ')
                {
                    slug.Append('-');
                }
            }

            string anchor = slug.ToString();
            int count = seen.GetValueOrDefault(anchor);
            seen[anchor] = count + 1;
            anchors.Add(count == 0 ? anchor : $"{anchor}-{count}");
        }

        return anchors;
    }

    private static string Dedent(string body)
    {
        string[] lines = body.ReplaceLineEndings("\n").Split('\n');
        int indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join("\n", lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart())).TrimEnd(' ');
    }

    [GeneratedRegex(@"^[ \t]*// <(?<name>[a-z-]+)>\r?\n(?<body>.*?)^[ \t]*// </\k<name>>", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex RegionPattern();

    [GeneratedRegex(@"^[ \t]*```(?<lang>[a-z]*)[ \t]*\n(?<body>.*?)^[ \t]*```[ \t]*$", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex FencePattern();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCodePattern();

    [GeneratedRegex(@"!?\[[^\]\n]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"^#{1,6}[ \t]+(?<text>.+?)[ \t]*#*[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex HeadingPattern();
}
