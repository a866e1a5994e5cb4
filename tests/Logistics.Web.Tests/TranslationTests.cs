using System.Text.RegularExpressions;
using Logistics.Lockers.Codes;
using Logistics.Web.Tests.Support;

namespace Logistics.Web.Tests;

/// <summary>
/// The pages speak French and English from one dictionary each, one key per line, and word every refusal by its
/// stable code: every key exists in both languages, every key a page uses exists, and every code the API can answer
/// (found in the sources where refusals are made) has its French and English sentence. The locker's page does the
/// same with the board's answers.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string Pages = Path.Combine(Repository.Root, "api", "Logistics.Api", "wwwroot");
    private static readonly string LockerPage = Path.Combine(Repository.Root, "lockers", "Logistics.Lockers.Host", "Web", "locker.html");

    [Fact]
    public void EveryKeyOfThePagesExistsInBothLanguagesOnALineOfItsOwn()
    {
        var (fr, en) = PageDictionaries();

        Assert.Equal(fr.Order(StringComparer.Ordinal), en.Order(StringComparer.Ordinal));
        Assert.Equal(fr.Count, fr.Distinct(StringComparer.Ordinal).Count());
        var i18n = File.ReadAllLines(Path.Combine(Pages, "js", "i18n.js"));
        Assert.All(i18n.Where(l => KeyLine().IsMatch(l)), line => Assert.Single(KeyLine().Matches(line)));
    }

    [Fact]
    public void EveryKeyThePagesUseIsTranslated()
    {
        var (fr, _) = PageDictionaries();
        var known = fr.ToHashSet(StringComparer.Ordinal);
        var used = Directory.EnumerateFiles(Pages, "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".js", StringComparison.Ordinal) || f.EndsWith(".html", StringComparison.Ordinal))
            .SelectMany(f => UsedKey().Matches(Comment().Replace(File.ReadAllText(f), "")).Select(m => m.Groups["key"].Value))
            .Where(k => !k.Contains("${", StringComparison.Ordinal))
            .Distinct(StringComparer.Ordinal)
            .ToList();

        Assert.True(used.Count > 100, $"only {used.Count} keys found in the pages");
        var missing = used.Where(k => !known.Contains(k)).ToList();
        Assert.True(missing.Count == 0, "not translated: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryRefusalCodeTheApiCanAnswerHasAFrenchAndAnEnglishSentence()
    {
        var (fr, en) = PageDictionaries();
        var codes = RefusalCodes();

        Assert.True(codes.Count > 100, $"only {codes.Count} codes found in the sources");
        Assert.Contains("pickup-code.wrong", codes);
        Assert.Contains("parcel.already-collected", codes);
        Assert.Contains("validation.required", codes);
        Assert.Contains("concurrency-conflict", codes);
        var missing = codes.Where(c => !fr.Contains("err." + c) || !en.Contains("err." + c)).Order(StringComparer.Ordinal).ToList();
        Assert.True(missing.Count == 0, "codes without their sentences: " + string.Join(", ", missing));
    }

    [Fact]
    public void TheLockersPageWordsEveryAnswerOfTheBoardInBothLanguages()
    {
        var page = File.ReadAllText(LockerPage);
        var fr = LockerKeys(page, "fr");
        var en = LockerKeys(page, "en");
        var outcomes = Enum.GetNames<RejectionReason>().Select(n => "outcome." + char.ToLowerInvariant(n[0]) + n[1..]).Append("outcome.accepted");
        var used = LockerUsedKey().Matches(page).Select(m => m.Groups["key"].Value).Distinct(StringComparer.Ordinal);

        Assert.Equal(fr.Order(StringComparer.Ordinal), en.Order(StringComparer.Ordinal));
        Assert.All(outcomes, key => Assert.Contains(key, fr));
        Assert.All(used, key => Assert.Contains(key, fr));
    }

    private static (IReadOnlyList<string> Fr, IReadOnlyList<string> En) PageDictionaries()
    {
        var text = File.ReadAllText(Path.Combine(Pages, "js", "i18n.js"));
        IReadOnlyList<string> Block(string name)
        {
            var start = text.IndexOf($"const {name} = {{", StringComparison.Ordinal);
            var end = text.IndexOf("\n};", start, StringComparison.Ordinal);
            return [.. KeyLine().Matches(text[start..end]).Select(m => m.Groups["key"].Value)];
        }

        return (Block("fr"), Block("en"));
    }

    private static IReadOnlyList<string> LockerKeys(string page, string language)
    {
        var start = page.IndexOf($"    {language}: {{", StringComparison.Ordinal);
        var end = page.IndexOf("\n    },", start, StringComparison.Ordinal);
        return [.. LockerKeyLine().Matches(page[start..end]).Select(m => m.Groups["key"].Value)];
    }

    /// <summary>The codes refusals are made with, read from the domain's and the API's sources.</summary>
    private static HashSet<string> RefusalCodes()
    {
        var codes = new HashSet<string>(StringComparer.Ordinal);
        var sources = new[] { Path.Combine(Repository.Root, "domain", "Logistics.Domain"), Path.Combine(Repository.Root, "api") }
            .SelectMany(d => Directory.EnumerateFiles(d, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in sources)
        {
            var text = File.ReadAllText(file);
            foreach (var pattern in CodePatterns)
            {
                foreach (Match m in pattern.Matches(text))
                {
                    foreach (var group in m.Groups.Cast<Group>().Skip(1).Where(g => g.Success))
                    {
                        codes.Add(group.Value);
                    }
                }
            }

            if (Path.GetFileName(file) == "ParcelRefusal.cs")
            {
                codes.UnionWith(StateCode().Matches(text).Select(m => m.Groups[1].Value));
            }

            if (Path.GetFileName(file) == "Problems.cs")
            {
                codes.UnionWith(ConstCode().Matches(text).Select(m => m.Groups[1].Value));
            }
        }

        return codes;
    }

    // Where refusals are made: a domain rule, a parcel's refusal, an application refusal, a validation rule, a code constant.
    private static readonly Regex[] CodePatterns =
    [
        new(@"DomainRuleViolation\(\s*""([^""]+)"""),
        new(@"ParcelRefusal\.Because\(\s*(?:\w+\s*,\s*)?""([^""]+)"""),
        new(@"Refusal\.Conflict\(\s*""([^""]+)"""),
        new(@"new Refusal\(\s*""([^""]+)"""),
        new(@"(?:DomainRuleViolation|Refusal) \w+\([^)]*\)\s*=>\s*new\(\s*""([^""]+)"""),
        new(@"\?\s*""([a-z][\w.-]*)""\s*:\s*""([a-z][\w.-]*)""\s*,\s*RefusalKind"),
        new(@"\.Require\([^;]*?,\s*""[^""]+""\s*,\s*""([^""]+)""\s*,\s*\$?"""),
        new(@"Refusal\.Invalid\(\s*""[^""]+""\s*,\s*""([^""]+)"""),
        new(@"const string \w+Code = ""([^""]+)"""),
        new(@"public const string Required = ""([^""]+)"""),
    ];

    [GeneratedRegex(@"\(\s*""(parcel\.[a-z-]+)""\s*,")]
    private static partial Regex StateCode();

    [GeneratedRegex(@"public const string \w+ = ""([^""]+)""")]
    private static partial Regex ConstCode();

    [GeneratedRegex(@"'(?<key>[\w.-]+)':\s*'")]
    private static partial Regex KeyLine();

    [GeneratedRegex(@"(?:\bt\(\s*'(?<key>[\w.-]+)'|data-i18n=""(?<key>[\w.-]+)""|data-i18n-attr=""[\w-]+:(?<key>[\w.-]+)"")")]
    private static partial Regex UsedKey();

    [GeneratedRegex(@"/\*.*?\*/|^\s*//[^\n]*", RegexOptions.Singleline | RegexOptions.Multiline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"""(?<key>[\w.]+)"":\s*""")]
    private static partial Regex LockerKeyLine();

    [GeneratedRegex(@"(?:\bt\(""(?<key>[\w.]+)""|data-t=""(?<key>[\w.]+)"")")]
    private static partial Regex LockerUsedKey();
}
