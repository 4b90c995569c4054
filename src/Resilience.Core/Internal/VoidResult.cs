namespace Resilience.Internal;

/// <summary>Stands for "no result", so that the overloads for calls without one share the generic execution path.</summary>
internal readonly struct VoidResult;
