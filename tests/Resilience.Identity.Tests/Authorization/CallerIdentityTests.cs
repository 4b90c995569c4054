using System.Security.Claims;

namespace Resilience.Identity.Tests.Authorization;

public class CallerIdentityTests
{
    [Fact]
    public void Read_SpiffeIdClaim_GivesIstioPrincipalAndNamespace()
    {
        CallerIdentity caller = CallerIdentity.CreateReader().Read(User("spiffe://cluster.local/ns/shop/sa/order"));

        (caller.Principal, caller.Namespace).Should().Be(("cluster.local/ns/shop/sa/order", "shop"));
    }

    [Fact]
    public void Read_ClaimInSecondIdentity_IsFound()
    {
        var user = new ClaimsPrincipal(new ClaimsIdentity());
        user.AddIdentity(new ClaimsIdentity([new Claim("SPIFFE_ID", "spiffe://td/app")]));

        CallerIdentity caller = CallerIdentity.CreateReader().Read(user);

        (caller.Principal, caller.Namespace).Should().Be(("td/app", null));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("https://not-spiffe/x")]
    [InlineData("spiffe://UPPER/ns/x")]
    public void Read_NoOrInvalidClaim_HasNoPrincipal(string? value)
    {
        CallerIdentity caller = CallerIdentity.CreateReader().Read(value is null ? new ClaimsPrincipal() : User(value));

        (caller.Principal, caller.Namespace).Should().Be(((string?)null, (string?)null));
    }

    [Fact]
    public void Read_SameIdTwice_ReturnsTheCachedCaller()
    {
        CallerIdentity reader = CallerIdentity.CreateReader();

        reader.Read(User("spiffe://td/ns/a/sa/b")).Should().BeSameAs(reader.Read(User("spiffe://td/ns/a/sa/b")));
    }

    [Fact]
    public void Read_BeyondCapacity_StillParses()
    {
        CallerIdentity reader = CallerIdentity.CreateReader();
        for (int i = 0; i < CallerIdentity.Capacity; i++)
        {
            reader.Read(User($"spiffe://td/ns/n{i}/sa/s"));
        }

        CallerIdentity late = reader.Read(User("spiffe://td/ns/late/sa/s"));

        late.Namespace.Should().Be("late");
        reader.Read(User("spiffe://td/ns/late/sa/s")).Should().NotBeSameAs(late, "the cache is full");
    }

    [Fact]
    public void Read_NullUser_HasNoPrincipal()
    {
        CallerIdentity caller = CallerIdentity.CreateReader().Read(null);

        (caller.Principal, caller.Namespace).Should().Be(((string?)null, (string?)null));
    }

    [Fact]
    public void Read_PrincipalWhoseIdentitiesAreNoList_FindsTheClaimAsFindFirstDoes()
    {
        var user = new SequencePrincipal(new ClaimsIdentity([new Claim(SpiffeId.ClaimType, "spiffe://td/ns/shop/sa/order")], "mtls"));

        CallerIdentity caller = CallerIdentity.CreateReader().Read(user);

        (caller.Principal, caller.Namespace).Should().Be(("td/ns/shop/sa/order", "shop"));
    }

    [Fact]
    public void Read_IdentityWhoseClaimsAreNoList_FindsTheClaimCaseInsensitively()
    {
        var user = new ClaimsPrincipal(new SequenceIdentity(new Claim("other", "x"), new Claim("SPIFFE_ID", "spiffe://td/ns/a/sa/b")));

        CallerIdentity caller = CallerIdentity.CreateReader().Read(user);

        (caller.Principal, caller.Namespace).Should().Be(("td/ns/a/sa/b", "a"));
    }

    [Fact]
    public void Read_IdentityWhoseClaimsAreNoListWithoutTheClaim_HasNoPrincipal()
    {
        var user = new ClaimsPrincipal(new SequenceIdentity(new Claim("other", "spiffe://td/ns/a/sa/b")));

        CallerIdentity.CreateReader().Read(user).Principal.Should().BeNull();
    }

    private static ClaimsPrincipal User(string spiffeId) => new(new ClaimsIdentity([new Claim(SpiffeId.ClaimType, spiffeId)], "mtls"));

    /// <summary>A principal whose identities are a lazy sequence, as a custom principal may expose them.</summary>
    private sealed class SequencePrincipal(ClaimsIdentity identity) : ClaimsPrincipal(identity)
    {
        public override IEnumerable<ClaimsIdentity> Identities => Yield(identity);

        private static IEnumerable<ClaimsIdentity> Yield(ClaimsIdentity identity)
        {
            yield return identity;
        }
    }

    /// <summary>An identity whose claims are a lazy sequence.</summary>
    private sealed class SequenceIdentity(params Claim[] claims) : ClaimsIdentity("custom")
    {
        public override IEnumerable<Claim> Claims => Yield(claims);

        private static IEnumerable<Claim> Yield(Claim[] claims)
        {
            foreach (Claim claim in claims)
            {
                yield return claim;
            }
        }
    }
}
