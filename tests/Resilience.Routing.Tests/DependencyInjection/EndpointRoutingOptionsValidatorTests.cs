using Microsoft.Extensions.Options;
using Resilience.Routing.DependencyInjection;

namespace Resilience.Routing.Tests.DependencyInjection;

public sealed class EndpointRoutingOptionsValidatorTests
{
    private const string Prefix = "Routing:svc:";

    [Fact]
    public void GetErrors_DefaultOptions_HasNone()
    {
        EndpointRoutingOptionsValidator.GetErrors(new EndpointRoutingOptions(), Prefix, []).Should().BeEmpty();
    }

    [Fact]
    public void GetErrors_EveryNumberOutOfRange_NamesEachKeyValueAndRange()
    {
        var options = new EndpointRoutingOptions
        {
            ActiveRequestBias = double.NaN,
            SlowStartWindow = TimeSpan.FromSeconds(-1),
            SlowStartAggression = 0,
            SlowStartMinWeightPercent = 101,
            MaxConnections = 0,
            MaxRequests = 0,
            MaglevTableSize = 10,
        };

        EndpointRoutingOptionsValidator.GetErrors(options, Prefix, []).Should().BeEquivalentTo(
        [
            "Routing:svc:ActiveRequestBias is NaN, but it must be a finite number of 0 or more.",
            "Routing:svc:MaglevTableSize is 10, but it must be a prime from 2 to 5000011, such as 65537.",
            "Routing:svc:SlowStartWindow is -1 s, but it must be 0 (no slow start) or more.",
            "Routing:svc:SlowStartAggression is 0, but it must be a finite number above 0.",
            "Routing:svc:SlowStartMinWeightPercent is 101, but it must be from 0 to 100.",
            "Routing:svc:MaxConnections is 0, but it must be from 1 to 2147483647.",
            "Routing:svc:MaxRequests is 0, but it must be from 1 to 2147483646.",
        ]);
    }

    [Fact]
    public void GetErrors_PendingRequestsWithoutAPoolLimit_SaysTheyWaitForMaxRequests()
    {
        var options = new EndpointRoutingOptions { MaxPendingRequests = 5 };

        EndpointRoutingOptionsValidator.GetErrors(options, Prefix, []).Should().Equal(
            "Routing:svc:MaxPendingRequests is set, but requests wait only for Routing:svc:MaxRequests, which is not.");
    }

    [Fact]
    public void GetErrors_CustomPolicyReusingABuiltInName_FailsForTheSharedName()
    {
        var options = new EndpointRoutingOptions { Policy = "Mine" };
        ILoadBalancingPolicy[] custom = [new NamedPolicy("random"), new NamedPolicy("Mine")];

        EndpointRoutingOptionsValidator.GetErrors(options, Prefix, custom).Should().Equal(
            "The load-balancing policy name 'Random' is used by 2 policies, but each name must be unique (case-insensitively).");
    }

    [Fact]
    public void GetErrors_UnknownPolicyAndHashPolicyWithBothKeys_FailsForBoth()
    {
        EndpointRoutingOptionsValidator.GetErrors(new EndpointRoutingOptions { Policy = "Nearest" }, Prefix, [new NamedPolicy("Mine")])
            .Should().Equal("Routing:svc:Policy is 'Nearest', but it must be one of LeastRequest, RoundRobin, Random, RingHash, Maglev, Mine.");
        EndpointRoutingOptionsValidator.GetErrors(new EndpointRoutingOptions { Policy = "maglev", HashHeader = "x-user", HashProperty = "user" }, Prefix, [])
            .Should().Equal("Routing:svc:HashHeader and Routing:svc:HashProperty are both set, but maglev needs exactly one of them as its hash key.");
    }

    [Fact]
    public void Validate_ClientNotRouted_Skips()
    {
        var clients = new EndpointRoutingClients();
        clients.KeyPrefixes["svc"] = Prefix;
        var validator = new EndpointRoutingOptionsValidator(Options.Create(clients), []);
        var invalid = new EndpointRoutingOptions { ChoiceCount = 0 };

        validator.Validate("other", invalid).Skipped.Should().BeTrue();
        validator.Validate(null, invalid).Skipped.Should().BeTrue();
        validator.Validate("svc", invalid).Failures.Should().Equal("Routing:svc:ChoiceCount is 0, but it must be from 2 to 64.");
    }

    private sealed class NamedPolicy(string name) : ILoadBalancingPolicy
    {
        public string Name { get; } = name;

        public int Pick(in LoadBalancingContext context) => 0;
    }
}
