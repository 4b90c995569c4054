namespace Resilience.Identity.Tests.Authorization;

public class ValueMatcherTests
{
    [Theory]
    [InlineData("abc", "abc", true)]
    [InlineData("abc", "abcd", false)]
    [InlineData("abc", "ab", false)]
    [InlineData("abc*", "abc", true)]
    [InlineData("abc*", "abcd", true)]
    [InlineData("abc*", "xabc", false)]
    [InlineData("*abc", "abc", true)]
    [InlineData("*abc", "xabc", true)]
    [InlineData("*abc", "abcx", false)]
    [InlineData("*", "x", true)]
    [InlineData("*", "", false)]
    [InlineData("*", null, false)]
    [InlineData("abc*", null, false)]
    public void Matches_IstioForms_MatchAsDocumented(string pattern, string? value, bool expected)
    {
        ValueMatcher.Create(pattern).Matches(value).Should().Be(expected);
    }

    [Theory]
    [InlineData("/base/api", "/base", "/api", true)]
    [InlineData("/base/api", "/bas", "e/api", true)]
    [InlineData("/base/api", "/base", "/apix", false)]
    [InlineData("/base/*", "/base", "/x", true)]
    [InlineData("/ba*", "/base", "/x", true)]
    [InlineData("/base/x*", "/base", "/y", false)]
    [InlineData("*e/x", "/base", "/x", true)]
    [InlineData("*/x", "/base", "/x", true)]
    [InlineData("*se/x", "/ba", "se/x", true)]
    [InlineData("*/y", "/base", "/x", false)]
    public void Matches_TwoParts_MatchesTheirConcatenation(string pattern, string head, string tail, bool expected)
    {
        ValueMatcher.Create(pattern).Matches(head, tail).Should().Be(expected);
    }
}
