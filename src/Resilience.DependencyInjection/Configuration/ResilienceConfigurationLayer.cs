namespace Resilience.DependencyInjection;

/// <summary>
/// One section of the Resilience4j-shaped configuration that options are read from (an instance, with its base
/// configuration), and how to validate the part of the options it sets.
/// </summary>
/// <typeparam name="TOptions">The options validated, such as the options of a whole composition.</typeparam>
/// <remarks>A <see cref="ResilienceConfigurationValidator{TOptions}"/> checks the keys of the section and reports the validation failures at their keys.</remarks>
public sealed class ResilienceConfigurationLayer<TOptions>
    where TOptions : class
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceConfigurationLayer{TOptions}"/> class for an instance.</summary>
    /// <param name="primitive">The primitive's section, such as <see cref="ResilienceConfiguration.CircuitBreaker"/>.</param>
    /// <param name="instanceName">The instance under <c>{primitive}:Instances</c>.</param>
    /// <param name="settings">The settings the instance and its base configuration may hold.</param>
    /// <param name="validate">Validates the layer's part of the options; throws an <see cref="ArgumentException"/> whose message names the option, the value and the valid range.</param>
    /// <param name="onlyWhenPresent">Whether the layer is read only when its instance section exists (an optional layer of a composition).</param>
    public ResilienceConfigurationLayer(string primitive, string instanceName, ResilienceSettings settings, Action<TOptions> validate, bool onlyWhenPresent = false)
        : this(primitive, instanceName, settings, validate, onlyWhenPresent, isConfiguration: false)
    {
    }

    private ResilienceConfigurationLayer(string primitive, string instanceName, ResilienceSettings settings, Action<TOptions> validate, bool onlyWhenPresent, bool isConfiguration)
    {
        ArgumentException.ThrowIfNullOrEmpty(primitive);
        ArgumentNullException.ThrowIfNull(instanceName);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(validate);
        Primitive = primitive;
        InstanceName = instanceName;
        Settings = settings;
        Validate = validate;
        OnlyWhenPresent = onlyWhenPresent;
        IsConfiguration = isConfiguration;
    }

    /// <summary>Gets the primitive's section, such as <see cref="ResilienceConfiguration.CircuitBreaker"/>.</summary>
    public string Primitive { get; }

    /// <summary>Gets the instance under <c>{Primitive}:Instances</c>.</summary>
    public string InstanceName { get; }

    /// <summary>Gets the settings the instance and its base configuration may hold.</summary>
    public ResilienceSettings Settings { get; }

    /// <summary>Gets the validation of the layer's part of the options.</summary>
    public Action<TOptions> Validate { get; }

    /// <summary>Gets whether the layer is read only when its instance section exists.</summary>
    public bool OnlyWhenPresent { get; }

    /// <summary>Gets whether the layer is a shared configuration, <c>{Primitive}:Configs:{InstanceName}</c>, rather than an instance.</summary>
    internal bool IsConfiguration { get; }

    /// <summary>A layer for the shared configuration <c>{primitive}:Configs:{name}</c>, which has no base.</summary>
    internal static ResilienceConfigurationLayer<TOptions> Configuration(string primitive, string name, ResilienceSettings settings, Action<TOptions> validate) =>
        new(primitive, name, settings, validate, onlyWhenPresent: false, isConfiguration: true);
}
