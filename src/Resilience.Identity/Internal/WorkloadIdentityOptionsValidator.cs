using Microsoft.Extensions.Options;

namespace Resilience.Identity.Internal;

/// <summary>
/// Validates <see cref="WorkloadIdentityOptions"/> at start by loading the files: every problem at once, each message
/// naming the full configuration key (such as <c>Identity:KeyFile</c>), the value and what is wrong.
/// </summary>
internal sealed class WorkloadIdentityOptionsValidator(TimeProvider timeProvider) : IValidateOptions<WorkloadIdentityOptions>
{
    /// <summary>The key prefix of options set in code: messages read "WorkloadIdentityOptions.KeyFile is …".</summary>
    public const string CodeKeyPrefix = nameof(WorkloadIdentityOptions) + ".";

    /// <summary>Gets or sets what precedes an option's name in messages: a configuration path and ':' once a section is bound.</summary>
    public string KeyPrefix { get; set; } = CodeKeyPrefix;

    public ValidateOptionsResult Validate(string? name, WorkloadIdentityOptions options)
    {
        if (!string.IsNullOrEmpty(name))
        {
            return ValidateOptionsResult.Skip;
        }

        var errors = new List<string>();
        IdentityFiles.TryLoad(options, KeyPrefix, timeProvider.GetUtcNow(), errors)?.Certificate.Dispose();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
