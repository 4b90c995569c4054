using Microsoft.CodeAnalysis;

namespace Resilience.Attributes.Generators;

/// <summary>Every diagnostic of the analyzer; the generator reports none (it emits nothing for what these reject).</summary>
internal static class Descriptors
{
    private const string Category = "Resilience.Attributes";

    public static readonly DiagnosticDescriptor FallbackNotFound = Error("RES1001", "Fallback method not found",
        "Fallback method '{0}' of [{1}] on '{2}' does not exist on '{3}'");

    public static readonly DiagnosticDescriptor FallbackParameters = Error("RES1002", "Fallback parameters do not match",
        "Fallback '{0}' of '{1}' has parameters ({2}); expected ({3}) or (TException), optionally followed by a CancellationToken");

    public static readonly DiagnosticDescriptor FallbackReturnType = Error("RES1003", "Fallback return type does not match",
        "Fallback '{0}' of '{1}' returns '{2}'; it must return '{3}' (a type assignable to it, with the same asynchronous shape)");

    public static readonly DiagnosticDescriptor FallbackDuplicate = Error("RES1004", "Two fallbacks for one exception type",
        "Fallback '{0}' of '{1}' has two overloads for '{2}'");

    public static readonly DiagnosticDescriptor FallbackNotException = Error("RES1005", "Fallback parameter is not an exception",
        "The last parameter of fallback '{0}' of '{1}' is '{2}', which is not an Exception");

    public static readonly DiagnosticDescriptor FallbackInaccessible = Error("RES1006", "Fallback not accessible",
        "Fallback '{0}' of '{1}' is {2}; make it internal or public so that the generated decorator can call it");

    public static readonly DiagnosticDescriptor FallbackCatchesCancellation = Warning("RES1007", "Fallback for a cancellation",
        "Fallback '{0}' of '{1}' takes '{2}': it never receives the caller's own cancellation, which always propagates, only cancellations from elsewhere");

    public static readonly DiagnosticDescriptor SynchronousOnlyAsync = Error("RES1008", "Asynchronous-only layer on a synchronous method",
        "[{0}] on '{1}' needs an asynchronous method (Task, Task<T>, ValueTask or ValueTask<T>); '{1}' returns '{2}'");

    public static readonly DiagnosticDescriptor UnsupportedShape = Error("RES1009", "Unsupported member shape",
        "'{0}' cannot be decorated: {1}");

    public static readonly DiagnosticDescriptor NeverRuns = Warning("RES1010", "Attribute that never runs",
        "[{0}] on '{1}' never runs: '{1}' implements no member of an interface, and only interface calls go through the generated decorator");

    public static readonly DiagnosticDescriptor SelfCall = Warning("RES1011", "Call through this bypasses the decorator",
        "This call to '{0}' goes through 'this', not through the decorator, so its resilience attributes do not apply");

    public static readonly DiagnosticDescriptor InvalidArgument = Error("RES1012", "Invalid attribute argument",
        "[{0}] on '{1}': {2}");

    public static readonly DiagnosticDescriptor FallbackHidesFromRetry = Warning("RES1013", "Inner fallback hides failures from the retry",
        "The fallback of [{0}] on '{1}' turns failures into results inside [Retry], so the retry never sees them; put the fallback on [Retry] instead");

    public static readonly DiagnosticDescriptor RetryNotIdempotent = Warning("RES1014", "Retry on a non-idempotent HTTP method",
        "[Retry] on '{0}', a Refit {1} method: a retried {1} may be applied twice by the server");

    public static readonly DiagnosticDescriptor RefitReflectionClient = Warning("RES1015", "Refit client registered through reflection",
        "'{0}' carries resilience attributes but is registered with AddRefitClient; use AddRefitGeneratedClient, whose client is generated at compile time");

    public static readonly DiagnosticDescriptor NotConfigured = Warning("RES1016", "Name not in the settings files",
        "[{0}] names {1} '{2}', which no appsettings*.json configures under {3}; it would be created from the default configuration{4}");

    public static readonly DiagnosticDescriptor RefitOverloadConflict = Error("RES1019", "Refit overloads with different per-request layers",
        "The overloads of '{0}' name different per-request layers ({1}, and {2}); Refit tells the handler only the method's name, so give the overloads the same [Retry] and [CircuitBreaker] names, or different method names");

    public static readonly DiagnosticDescriptor InvalidOrder = Error("RES1018", "Invalid layer order",
        "ResilienceAspectOrder '{0}': {1}; the valid names are Retry, CircuitBreaker, RateLimiter, TimeLimiter and Bulkhead, each at most once");

    private static DiagnosticDescriptor Error(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Error, isEnabledByDefault: true);

    private static DiagnosticDescriptor Warning(string id, string title, string message) =>
        new(id, title, message, Category, DiagnosticSeverity.Warning, isEnabledByDefault: true);

}
