namespace Resilience;

/// <summary>The kinds of <see cref="RegistryEntryEvent{TInstance}"/>.</summary>
public enum RegistryEntryEventType
{
    /// <summary>An instance was created and added.</summary>
    Added = 0,

    /// <summary>An instance was removed.</summary>
    Removed = 1,

    /// <summary>An instance was replaced.</summary>
    Replaced = 2,
}

/// <summary>A change to the instances of a <see cref="ResilienceRegistry{TInstance, TOptions}"/>.</summary>
/// <typeparam name="TInstance">The primitive.</typeparam>
public readonly struct RegistryEntryEvent<TInstance>
    where TInstance : class
{
    internal RegistryEntryEvent(RegistryEntryEventType eventType, string name, TInstance instance, TInstance? replacedInstance)
    {
        EventType = eventType;
        Name = name;
        Instance = instance;
        ReplacedInstance = replacedInstance;
    }

    /// <summary>Gets what happened.</summary>
    public RegistryEntryEventType EventType { get; }

    /// <summary>Gets the instance name.</summary>
    public string Name { get; }

    /// <summary>Gets the instance added, removed, or put in place.</summary>
    public TInstance Instance { get; }

    /// <summary>Gets, for a replacement, the instance that was replaced.</summary>
    public TInstance? ReplacedInstance { get; }
}

/// <summary>The exception thrown when a registry is asked for a configuration name it does not hold.</summary>
/// <remarks>It is a <see cref="ResilienceException"/>, like every exception the library raises on its own account, whose <see cref="ResilienceException.InstanceName"/> is the missing configuration name; it is no longer a <see cref="KeyNotFoundException"/>.</remarks>
public sealed class ConfigurationNotFoundException : ResilienceException
{
    /// <summary>Initializes a new instance of the <see cref="ConfigurationNotFoundException"/> class.</summary>
    /// <param name="configurationName">The missing configuration name.</param>
    public ConfigurationNotFoundException(string configurationName)
        : base(configurationName, $"Configuration with name '{configurationName}' does not exist.")
    {
    }

    /// <summary>Gets the missing configuration name.</summary>
    public string ConfigurationName => InstanceName;
}
