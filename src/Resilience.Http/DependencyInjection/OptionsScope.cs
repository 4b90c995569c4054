using Microsoft.Extensions.Options;

namespace Resilience.Http.DependencyInjection;

/// <summary>
/// The named options one registration configures: those of one client, or, for a registration made through
/// <c>ConfigureHttpClientDefaults</c> (a builder without a name), those of every client.
/// </summary>
/// <remarks>
/// Options are always read under the name of the client being built: <c>{client}</c> for the standard composition and
/// <c>{client}/{instance}</c> for a single primitive. A registration for every client contributes to each of those
/// names, so a client's own registration, added after it, overrides its settings one by one.
/// </remarks>
internal sealed class OptionsScope
{
    private OptionsScope(string? client, string suffix)
    {
        Client = client;
        Suffix = suffix;
    }

    /// <summary>Gets the client, or <see langword="null"/> for every client.</summary>
    public string? Client { get; }

    /// <summary>Gets the text that follows the client name in the options name: empty, or <c>/{instance}</c>.</summary>
    public string Suffix { get; }

    /// <summary>Gets a name for the scope, used to register its validator once: the options name, or <c>*{suffix}</c> for every client.</summary>
    public string Key => Client is null ? "*" + Suffix : Client + Suffix;

    /// <summary>The scope of the standard composition of the client named <paramref name="client"/> (every client when <see langword="null"/>).</summary>
    public static OptionsScope Standard(string? client) => new(client, string.Empty);

    /// <summary>The scope of one primitive instance of the client named <paramref name="client"/> (every client when <see langword="null"/>).</summary>
    public static OptionsScope Primitive(string? client, string instanceName) => new(client, "/" + instanceName);

    /// <summary>Gets the options name of a client.</summary>
    public string NameFor(string client) => client + Suffix;

    /// <summary>Gets the client an options name belongs to; only for names this scope <see cref="Matches"/>.</summary>
    public string ClientOf(string name) => name[..^Suffix.Length];

    /// <summary>Whether this scope configures the options named <paramref name="name"/>.</summary>
    public bool Matches(string? name)
    {
        name ??= Options.DefaultName;
        return Client is null
            ? name.EndsWith(Suffix, StringComparison.Ordinal)
            : string.Equals(name, Client + Suffix, StringComparison.Ordinal);
    }
}

/// <summary>Configures the named options of a scope, passing the name, so that a binding can depend on the client.</summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ScopedConfigureOptions<TOptions>(OptionsScope scope, Action<string, TOptions> configure) : IConfigureNamedOptions<TOptions>
    where TOptions : class
{
    public void Configure(string? name, TOptions options)
    {
        if (scope.Matches(name))
        {
            configure(name ?? Options.DefaultName, options);
        }
    }

    public void Configure(TOptions options) => Configure(Options.DefaultName, options);
}
