using System.Runtime.InteropServices;

namespace Resilience.Internal;

/// <summary>A 64-bit value alone on its cache line, so that writers of neighbouring fields do not slow its readers.</summary>
[StructLayout(LayoutKind.Explicit, Size = 128)]
internal struct PaddedLong
{
    [FieldOffset(64)]
    public long Value;
}
