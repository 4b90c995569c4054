namespace Resilience.Attributes;

/// <summary>
/// Runs the method under a bulkhead, a semaphore one unless <see cref="Type"/> says otherwise: the instance named <see cref="Name"/> in the registry that <c>AddResilience</c>
/// configures (<c>Bulkhead:Instances:{name}</c>). On an interface it applies to all its members; on a class, to the
/// members it implements. A source generator writes the decorator that <c>AddResilient</c> registers; the attribute
/// itself does nothing at run time.
/// </summary>
[AttributeUsage(AttributeTargets.Interface | AttributeTargets.Class | AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class BulkheadAttribute : Attribute
{
    /// <summary>Initializes a new instance of the <see cref="BulkheadAttribute"/> class.</summary>
    /// <param name="name">The instance name; not empty.</param>
    public BulkheadAttribute(string name) => Name = name;

    /// <summary>Gets the instance name.</summary>
    public string Name { get; }

    /// <summary>
    /// Gets or sets the shared configuration (<c>Bulkhead:Configs:{configuration}</c>) the instance is created from when
    /// it is not configured itself; <see langword="null"/> (the default) for its own or the <c>default</c> one.
    /// </summary>
    public string? Configuration { get; set; }

    /// <summary>
    /// Gets or sets the name of the fallback method (use <c>nameof</c>), on the type that carries this attribute. Its
    /// overloads take <c>(TException)</c> or <c>(the method's parameters…, TException)</c> and return what the method
    /// returns, with the same asynchronous shape; the analyzer checks them at compile time. It wraps this layer only.
    /// </summary>
    public string? FallbackMethod { get; set; }

    /// <summary>
    /// Gets or sets the kind of bulkhead: <see cref="BulkheadType.Semaphore"/> (the default, the instance of
    /// <c>Bulkhead</c>) or <see cref="BulkheadType.ThreadPool"/> (the instance of <c>ThreadPoolBulkhead</c>).
    /// </summary>
    public BulkheadType Type { get; set; }
}
