using System.Diagnostics.CodeAnalysis;
using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace Resilience.Identity;

/// <summary>
/// A workload's identity in SPIFFE's form, <c>spiffe://trust-domain/path</c>, such as
/// <c>spiffe://cluster.local/ns/default/sa/order-service</c>: what Istio, SPIRE and cert-manager put in an X.509
/// certificate as its URI subject alternative name.
/// </summary>
/// <remarks>
/// Parsing follows the SPIFFE ID specification: the scheme is <c>spiffe</c>; the trust domain holds lowercase letters,
/// digits, <c>.</c>, <c>-</c> and <c>_</c>; the path is empty or made of non-empty segments of letters, digits,
/// <c>.</c>, <c>-</c> and <c>_</c>, none of them <c>.</c> or <c>..</c>; there is no port, user, query or fragment, and
/// the whole ID is at most 2048 characters.
/// </remarks>
public sealed class SpiffeId : IEquatable<SpiffeId>
{
    private const string Scheme = "spiffe://";
    private const int MaxLength = 2048;
    private const string SubjectAlternativeNameOid = "2.5.29.17";

    /// <summary>
    /// The claim type under which the server side puts the calling workload's SPIFFE ID (<see cref="Value"/>) on the
    /// request's principal: <c>spiffe_id</c>.
    /// </summary>
    public const string ClaimType = "spiffe_id";

    private SpiffeId(string value, int pathStart)
    {
        Value = value;
        TrustDomain = value[Scheme.Length..pathStart];
        Path = value[pathStart..];
    }

    /// <summary>The whole ID, <c>spiffe://cluster.local/ns/default/sa/order-service</c>.</summary>
    public string Value { get; }

    /// <summary>The trust domain, <c>cluster.local</c>.</summary>
    public string TrustDomain { get; }

    /// <summary>The path, <c>/ns/default/sa/order-service</c>; empty for the trust domain's own ID.</summary>
    public string Path { get; }

    /// <summary>
    /// The ID as an Istio principal, without the scheme: <c>cluster.local/ns/default/sa/order-service</c>.
    /// </summary>
    public string Principal => Value[Scheme.Length..];

    /// <summary>
    /// The Kubernetes namespace named by a path of the form <c>/ns/{namespace}/…</c>, as Istio's <c>namespaces</c>
    /// match reads it; <see langword="null"/> for any other path.
    /// </summary>
    public string? Namespace
    {
        get
        {
            if (!Path.StartsWith("/ns/", StringComparison.Ordinal))
            {
                return null;
            }

            int end = Path.IndexOf('/', 4);
            return end < 0 ? Path[4..] : Path[4..end];
        }
    }

    /// <summary>Parses a SPIFFE ID.</summary>
    /// <param name="value">The ID, <c>spiffe://trust-domain/path</c>.</param>
    /// <returns>The ID.</returns>
    /// <exception cref="FormatException"><paramref name="value"/> is not a valid SPIFFE ID; the message says why.</exception>
    public static SpiffeId Parse(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        string? error = Validate(value, out int pathStart);
        return error is null
            ? new SpiffeId(value, pathStart)
            : throw new FormatException($"'{value}' is not a SPIFFE ID: {error}.");
    }

    /// <summary>Parses a SPIFFE ID, without throwing.</summary>
    /// <param name="value">The text to parse.</param>
    /// <param name="id">The ID, when <paramref name="value"/> is valid.</param>
    /// <returns>Whether <paramref name="value"/> is a valid SPIFFE ID.</returns>
    public static bool TryParse([NotNullWhen(true)] string? value, [NotNullWhen(true)] out SpiffeId? id)
    {
        if (value is not null && Validate(value, out int pathStart) is null)
        {
            id = new SpiffeId(value, pathStart);
            return true;
        }

        id = null;
        return false;
    }

    /// <summary>
    /// The SPIFFE ID of a certificate: its single <c>spiffe://</c> URI subject alternative name.
    /// </summary>
    /// <param name="certificate">An X.509 SVID.</param>
    /// <returns>The ID, or <see langword="null"/> when the certificate carries no valid SPIFFE ID, or more than one.</returns>
    public static SpiffeId? FromCertificate(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        SpiffeId? found = null;
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != SubjectAlternativeNameOid)
            {
                continue;
            }

            foreach (string uri in EnumerateUris(extension.RawData))
            {
                if (!uri.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (found is not null || !TryParse(uri, out found))
                {
                    return null;
                }
            }
        }

        return found;
    }

    /// <inheritdoc/>
    public bool Equals(SpiffeId? other) => other is not null && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as SpiffeId);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>The whole ID.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;

    // GeneralNames ::= SEQUENCE OF GeneralName; uniformResourceIdentifier is [6] IMPLICIT IA5String (RFC 5280 §4.2.1.6).
    private static List<string> EnumerateUris(byte[] subjectAlternativeName)
    {
        var uris = new List<string>();
        try
        {
            AsnReader names = new AsnReader(subjectAlternativeName, AsnEncodingRules.DER).ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                if (names.PeekTag().HasSameClassAndValue(uriTag))
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension names no identity.
            uris.Clear();
        }

        return uris;
    }

    private static string? Validate(string value, out int pathStart)
    {
        pathStart = -1;
        if (value.Length > MaxLength)
        {
            return $"it is longer than {MaxLength} characters";
        }

        if (!value.StartsWith(Scheme, StringComparison.Ordinal))
        {
            return "it does not start with 'spiffe://' (the scheme is lowercase)";
        }

        int slash = value.IndexOf('/', Scheme.Length);
        pathStart = slash < 0 ? value.Length : slash;
        if (pathStart == Scheme.Length)
        {
            return "the trust domain is empty";
        }

        for (int i = Scheme.Length; i < pathStart; i++)
        {
            char c = value[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-' or '_'))
            {
                return $"the trust domain may hold only lowercase letters, digits, '.', '-' and '_', not '{c}'";
            }
        }

        return pathStart == value.Length ? null : ValidatePath(value.AsSpan(pathStart));
    }

    private static string? ValidatePath(ReadOnlySpan<char> path)
    {
        // The path starts with '/'; each segment after it must be non-empty, not '.' or '..', and of allowed characters.
        foreach (Range range in path[1..].Split('/'))
        {
            ReadOnlySpan<char> segment = path[1..][range];
            if (segment.IsEmpty)
            {
                return "the path has an empty segment (or ends with '/')";
            }

            if (segment is "." or "..")
            {
                return "the path has a '.' or '..' segment";
            }

            foreach (char c in segment)
            {
                if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
                {
                    return $"the path may hold only letters, digits, '.', '-' and '_', not '{c}'";
                }
            }
        }

        return null;
    }
}
