namespace Resilience.Internal;

/// <summary>
/// The handler lists behind one primitive's events class: one list per event type plus one for <c>Any</c>, and a
/// bitmask of the lists that have handlers, so that an unobserved event costs one field read.
/// </summary>
/// <remarks>
/// Invariant: after every <see cref="Change"/> returns, the published mask has a bit set exactly for the lists that
/// have handlers (concurrent changes repeat until the mask they publish matches the lists).
/// </remarks>
internal sealed class EventChannels<TEvent>
{
    /// <summary>The pseudo event type that stands for the <c>Any</c> event.</summary>
    public const int AnyType = -1;

    private const int AnyBit = 1 << 30;

    private readonly string _name;
    private readonly EventHandlers<TEvent> _any = new();
    private readonly EventHandlers<TEvent>[] _byType;
    private int _mask;

    public EventChannels(string name, int typeCount)
    {
        System.Diagnostics.Debug.Assert(typeCount is > 0 and < 30, "each type has a bit below the Any bit");
        _name = name;
        _byType = new EventHandlers<TEvent>[typeCount];
        for (int i = 0; i < typeCount; i++)
        {
            _byType[i] = new EventHandlers<TEvent>();
        }
    }

    /// <summary>Whether a handler listens to events of <paramref name="type"/>, directly or through <c>Any</c>.</summary>
    public bool IsSubscribed(int type) => (Volatile.Read(ref _mask) & (AnyBit | (1 << type))) != 0;

    /// <summary>Runs the <c>Any</c> handlers, then those of <paramref name="type"/>.</summary>
    public void Publish(in TEvent args, int type)
    {
        _any.Invoke(args, _name);
        _byType[type].Invoke(args, _name);
    }

    /// <summary>Adds or removes a handler of <paramref name="type"/> (<see cref="AnyType"/> for <c>Any</c>).</summary>
    public void Change(int type, Action<TEvent>? handler, bool add)
    {
        EventHandlers<TEvent> handlers = type == AnyType ? _any : _byType[type];
        if (add)
        {
            handlers.Add(handler);
        }
        else
        {
            handlers.Remove(handler);
        }

        int mask;
        do
        {
            mask = ComputeMask();
            Volatile.Write(ref _mask, mask);
        }
        while (mask != ComputeMask());
    }

    private int ComputeMask()
    {
        int mask = _any.HasHandlers ? AnyBit : 0;
        for (int i = 0; i < _byType.Length; i++)
        {
            mask |= _byType[i].HasHandlers ? 1 << i : 0;
        }

        return mask;
    }
}
