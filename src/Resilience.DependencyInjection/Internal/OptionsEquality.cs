using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Resilience.DependencyInjection;

/// <summary>Compares two options objects property by property, lists by their items and delegates by reference.</summary>
/// <remarks>Runs on reloads only, to tell whether a primitive must be rebuilt.</remarks>
internal static class OptionsEquality
{
    public static bool AreEqual<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicProperties)] T>(T? left, T? right)
        where T : class
    {
        if (ReferenceEquals(left, right))
        {
            return true;
        }

        if (left is null || right is null || left.GetType() != right.GetType())
        {
            return false;
        }

        foreach (var property in typeof(T).GetProperties())
        {
            if (property.GetIndexParameters().Length != 0 || !property.CanRead)
            {
                continue;
            }

            object? a = property.GetValue(left);
            object? b = property.GetValue(right);
            if (a is IList listA && b is IList listB)
            {
                if (!listA.Cast<object?>().SequenceEqual(listB.Cast<object?>()))
                {
                    return false;
                }
            }
            else if (!Equals(a, b))
            {
                return false;
            }
        }

        return true;
    }
}
