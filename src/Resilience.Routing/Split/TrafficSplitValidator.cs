using System.Globalization;

namespace Resilience.Routing.Split;

/// <summary>
/// Validates <see cref="TrafficSplitOptions"/> with full keys (<c>Routing:pricing:Split:Routes:0:Subset</c>, or
/// <c>EndpointRoutingOptions[pricing].Split.Routes[0].Subset</c> for options set in code): subsets that select
/// nothing (their names are unique: the dictionary compares them case-insensitively), routes without a header or a single match, unknown subset names, negative, all-zero or
/// repeated destinations.
/// </summary>
internal static class TrafficSplitValidator
{
    /// <summary>Adds the problems of <paramref name="split"/> to <paramref name="errors"/>.</summary>
    /// <param name="split">The options.</param>
    /// <param name="prefix">The prefix of the routing options' keys, ending with <c>:</c> (configuration) or <c>.</c> (code).</param>
    /// <param name="errors">Where the messages go.</param>
    public static void AddErrors(TrafficSplitOptions split, string prefix, List<string> errors)
    {
        if (split.IsEmpty)
        {
            return;
        }

        var key = new KeyFormat(prefix + nameof(EndpointRoutingOptions.Split) + (prefix.EndsWith(':') ? ":" : "."), prefix.EndsWith(':'));
        string[] names = [.. split.Subsets.Keys];
        foreach ((string name, TrafficSubsetOptions subset) in split.Subsets)
        {
            string at = key.Of(nameof(TrafficSplitOptions.Subsets), name);
            if (subset is null || (subset.Version is null && subset.Zone is null && subset.Addresses.Count == 0))
            {
                errors.Add($"{at} sets none of {nameof(TrafficSubsetOptions.Version)}, {nameof(TrafficSubsetOptions.Zone)} and {nameof(TrafficSubsetOptions.Addresses)}, but a subset selects endpoints by at least one.");
                continue;
            }

            for (int i = 0; i < subset.Addresses.Count; i++)
            {
                if (!Uri.TryCreate(subset.Addresses[i], UriKind.Absolute, out Uri? address) || address.Scheme is not ("http" or "https"))
                {
                    errors.Add($"{key.Of(nameof(TrafficSplitOptions.Subsets), name, nameof(TrafficSubsetOptions.Addresses), i)} is '{subset.Addresses[i]}', but it must be an absolute http or https address, such as http://10.0.0.7:5001.");
                }
            }
        }

        for (int i = 0; i < split.Routes.Count; i++)
        {
            TrafficRouteOptions route = split.Routes[i];
            if (string.IsNullOrEmpty(route.Header))
            {
                errors.Add($"{key.Of(nameof(TrafficSplitOptions.Routes), i, nameof(TrafficRouteOptions.Header))} is empty, but a route matches a header.");
            }

            if ((route.Exact is null) == (route.Prefix is null))
            {
                errors.Add($"{key.Of(nameof(TrafficSplitOptions.Routes), i, nameof(TrafficRouteOptions.Exact))} and {key.Of(nameof(TrafficSplitOptions.Routes), i, nameof(TrafficRouteOptions.Prefix))} are {(route.Exact is null ? "both unset" : "both set")}, but a route matches by exactly one of them.");
            }

            KnownSubset(split, names, route.Subset, key.Of(nameof(TrafficSplitOptions.Routes), i, nameof(TrafficRouteOptions.Subset)), key, errors);
        }

        AddDestinationErrors(split, names, key, errors);
    }

    private static void AddDestinationErrors(TrafficSplitOptions split, string[] names, KeyFormat key, List<string> errors)
    {
        if (split.Destinations.Count == 0)
        {
            errors.Add($"{key.Of(nameof(TrafficSplitOptions.Destinations))} is empty, but a split sends the requests no route matches to its destinations.");
            return;
        }

        var seen = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        long total = 0;
        for (int i = 0; i < split.Destinations.Count; i++)
        {
            TrafficDestinationOptions destination = split.Destinations[i];
            string subsetKey = key.Of(nameof(TrafficSplitOptions.Destinations), i, nameof(TrafficDestinationOptions.Subset));
            if (KnownSubset(split, names, destination.Subset, subsetKey, key, errors) && !seen.TryAdd(destination.Subset!, i))
            {
                errors.Add($"{subsetKey} is '{destination.Subset}', as {key.Of(nameof(TrafficSplitOptions.Destinations), seen[destination.Subset!], nameof(TrafficDestinationOptions.Subset))} is, but a subset is a destination once.");
            }

            if (destination.Weight < 0)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"{key.Of(nameof(TrafficSplitOptions.Destinations), i, nameof(TrafficDestinationOptions.Weight))} is {destination.Weight}, but it must be 0 or more."));
            }

            total += Math.Max(0, destination.Weight);
        }

        if (split.Destinations.Count > 1 && total == 0 && split.Destinations.All(static d => d.Weight >= 0))
        {
            errors.Add($"The weights of {key.Of(nameof(TrafficSplitOptions.Destinations))} are all 0, but at least one must be above 0.");
        }
        else if (total > int.MaxValue)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"The weights of {key.Of(nameof(TrafficSplitOptions.Destinations))} add up to {total}, but the sum must be at most {int.MaxValue}."));
        }
    }

    private static bool KnownSubset(TrafficSplitOptions split, string[] names, string? subset, string at, KeyFormat key, List<string> errors)
    {
        if (subset is not null && split.Subsets.ContainsKey(subset))
        {
            return true;
        }

        string known = names.Length == 0 ? $"{key.Of(nameof(TrafficSplitOptions.Subsets))} defines none" : $"it must be one of {string.Join(", ", names)}";
        errors.Add(subset is null ? $"{at} is not set, but {known}." : $"{at} is '{subset}', but {known}.");
        return false;
    }

    /// <summary>Full keys: <c>Split:Routes:0:Subset</c> in configuration, <c>Split.Routes[0].Subset</c> in code.</summary>
    private readonly struct KeyFormat(string prefix, bool configuration)
    {
        public string Of(params object[] segments)
        {
            var text = new System.Text.StringBuilder(prefix);
            for (int i = 0; i < segments.Length; i++)
            {
                string segment = Convert.ToString(segments[i], CultureInfo.InvariantCulture)!;
                bool index = segments[i] is int || (i > 0 && segments[i - 1] is nameof(TrafficSplitOptions.Subsets));
                text.Append(configuration ? (i == 0 ? segment : ":" + segment) : index ? $"[{segment}]" : (i == 0 ? segment : "." + segment));
            }

            return text.ToString();
        }
    }
}
