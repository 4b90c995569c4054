namespace Resilience;

/// <summary>
/// The base of every exception the library raises on its own account: rejections (see
/// <see cref="ResilienceRejectedException"/>), exhausted retries, illegal state transitions and missing configurations.
/// </summary>
/// <remarks>Exceptions thrown by the protected calls pass through unchanged, and invalid arguments are reported with
/// <see cref="ArgumentException"/> and its subclasses, as usual in .NET.</remarks>
public abstract class ResilienceException : Exception
{
    /// <summary>Initializes a new instance of the <see cref="ResilienceException"/> class.</summary>
    /// <param name="instanceName">The name of the primitive instance (or configuration) the exception is about.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The exception that caused this one, if any.</param>
    protected ResilienceException(string instanceName, string message, Exception? innerException = null)
        : base(message, innerException) => InstanceName = instanceName;

    /// <summary>Gets the name of the primitive instance (or, for <see cref="ConfigurationNotFoundException"/>, the configuration) the exception is about.</summary>
    public string InstanceName { get; }
}
