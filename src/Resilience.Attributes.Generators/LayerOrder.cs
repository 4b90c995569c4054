using System;
using System.Collections.Generic;

namespace Resilience.Attributes.Generators;

/// <summary>
/// The nesting of the layers, outermost first: Resilience4j's default, or the MSBuild property
/// <c>ResilienceAspectOrder</c> (names separated by <c>;</c> or <c>,</c>; the names it leaves out follow, inside, in the
/// default order).
/// </summary>
internal static class LayerOrder
{
    public const string PropertyKey = "build_property.ResilienceAspectOrder";

    private static readonly char[] Separators = { ';', ',' };

    public static readonly LayerKind[] Default =
    {
        LayerKind.Retry, LayerKind.CircuitBreaker, LayerKind.RateLimiter, LayerKind.TimeLimiter, LayerKind.Bulkhead,
    };

    /// <summary>Parses the property; on an error returns the default order and the reason.</summary>
    public static LayerKind[] Parse(string? value, out string? error)
    {
        error = null;
        if (value is null || value.Trim().Length == 0)
        {
            return Default;
        }

        var order = new List<LayerKind>();
        foreach (string part in value.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            string name = part.Trim();
            if (name.Length == 0)
            {
                continue;
            }

            if (!Enum.TryParse(name, ignoreCase: true, out LayerKind kind) || !Enum.IsDefined(typeof(LayerKind), kind) || char.IsDigit(name[0]))
            {
                error = $"'{name}' is not a layer";
                return Default;
            }

            if (order.Contains(kind))
            {
                error = $"'{name}' is named twice";
                return Default;
            }

            order.Add(kind);
        }

        foreach (LayerKind kind in Default)
        {
            if (!order.Contains(kind))
            {
                order.Add(kind);
            }
        }

        return order.ToArray();
    }
}
