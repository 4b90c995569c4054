using System.Globalization;
using Microsoft.Extensions.Options;

namespace Resilience.Discovery.Internal;

/// <summary>
/// Validates <see cref="EtcdDiscoveryOptions"/> at start: every problem at once, each message naming the full
/// configuration key (such as <c>Discovery:Etcd:Ttl</c>), the value and the valid range.
/// </summary>
internal sealed class EtcdDiscoveryOptionsValidator : IValidateOptions<EtcdDiscoveryOptions>
{
    /// <summary>The key prefix of options set in code: messages read "EtcdDiscoveryOptions.Ttl is …".</summary>
    public const string CodeKeyPrefix = nameof(EtcdDiscoveryOptions) + ".";

    /// <summary>Gets or sets what precedes an option's name in messages: a configuration path and ':' once a section is bound.</summary>
    public string KeyPrefix { get; set; } = CodeKeyPrefix;

    public ValidateOptionsResult Validate(string? name, EtcdDiscoveryOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return ValidateOptionsResult.Skip;
        }

        List<string> errors = GetErrors(options, KeyPrefix);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    public static List<string> GetErrors(EtcdDiscoveryOptions options, string keyPrefix)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        string endpoints = nameof(EtcdDiscoveryOptions.Endpoints);
        if (options.Endpoints.Count == 0)
        {
            errors.Add($"{keyPrefix}{endpoints} is empty, but it must list at least one etcd client URL, such as http://127.0.0.1:2379.");
        }

        for (int i = 0; i < options.Endpoints.Count; i++)
        {
            string? value = options.Endpoints[i];
            if (!Uri.TryCreate(value, UriKind.Absolute, out Uri? uri) || uri.Scheme is not ("http" or "https") || uri.AbsolutePath != "/")
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{endpoints}:{i} is '{value}', but it must be an http or https URL with a host and no path, such as http://127.0.0.1:2379."));
            }
        }

        if (EtcdTls.IsConfigured(options))
        {
            for (int i = 0; i < options.Endpoints.Count; i++)
            {
                if (Uri.TryCreate(options.Endpoints[i], UriKind.Absolute, out Uri? uri) && uri.Scheme == "http")
                {
                    errors.Add(string.Create(CultureInfo.InvariantCulture, $"{keyPrefix}{endpoints}:{i} is '{options.Endpoints[i]}', but it must be an https URL when {keyPrefix}{nameof(EtcdDiscoveryOptions.TrustedCaFile)}, {nameof(EtcdDiscoveryOptions.ClientCertificateFile)} or {nameof(EtcdDiscoveryOptions.ClientKeyFile)} is set."));
                }
            }

            EtcdTls.AddErrors(options, keyPrefix, errors);
        }

        string prefix = options.Prefix ?? string.Empty;
        if (prefix.Length < 2 || prefix[0] != '/' || prefix[^1] != '/')
        {
            errors.Add($"{keyPrefix}{nameof(EtcdDiscoveryOptions.Prefix)} is '{prefix}', but it must start and end with '/' and name a folder, such as {EtcdDiscoveryConstants.DefaultPrefix}.");
        }

        TimeSpan ttl = options.Ttl;
        if (ttl < EtcdDiscoveryConstants.MinimumTtl || ttl > EtcdDiscoveryConstants.MaximumTtl || ttl.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            errors.Add($"{keyPrefix}{nameof(EtcdDiscoveryOptions.Ttl)} is {DurationText.Format(ttl)}, but it must be whole seconds from {DurationText.Format(EtcdDiscoveryConstants.MinimumTtl)} to {DurationText.Format(EtcdDiscoveryConstants.MaximumTtl)}.");
        }

        bool user = !string.IsNullOrEmpty(options.Username);
        bool password = !string.IsNullOrEmpty(options.Password);
        if (user != password)
        {
            string set = user ? nameof(EtcdDiscoveryOptions.Username) : nameof(EtcdDiscoveryOptions.Password);
            string missing = user ? nameof(EtcdDiscoveryOptions.Password) : nameof(EtcdDiscoveryOptions.Username);
            errors.Add($"{keyPrefix}{missing} is empty while {keyPrefix}{set} is set, but the two must be set together or not at all.");
        }

        return errors;
    }
}
