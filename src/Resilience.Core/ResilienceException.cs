namespace Resilience;

/// <summary>The base of the exceptions a resilience primitive throws on its own account, such as a rejected call.</summary>
public abstract class ResilienceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceException"/> class.</summary>
    /// <param name="instanceName">The name of the primitive instance that threw.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    protected ResilienceException(string instanceName, string message, Exception? innerException = null)
        : base(message, innerException) => InstanceName = instanceName;

    /// <summary>Gets the name of the primitive instance that threw.</summary>
    public string InstanceName { get; }
}
