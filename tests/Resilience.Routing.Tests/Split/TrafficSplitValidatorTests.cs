using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Resilience.Routing.Split;

namespace Resilience.Routing.Tests.Split;

public sealed class TrafficSplitValidatorTests
{
    [Fact]
    public async Task StartAsync_InvalidSplitInConfiguration_FailsNamingEveryKey()
    {
        HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Routing:pricing:Split:Subsets:v1:Version"] = "v1",
            ["Routing:pricing:Split:Subsets:v2:Zone"] = "eu",
            ["Routing:pricing:Split:Subsets:v2:Addresses:0"] = "not an address",
            ["Routing:pricing:Split:Subsets:empty:Version"] = null,
            ["Routing:pricing:Split:Routes:0:Header"] = "x-canary",
            ["Routing:pricing:Split:Routes:0:Subset"] = "v3",
            ["Routing:pricing:Split:Destinations:0:Subset"] = "v1",
            ["Routing:pricing:Split:Destinations:0:Weight"] = "-5",
            ["Routing:pricing:Split:Destinations:1:Subset"] = "V1",
            ["Routing:pricing:Split:Destinations:1:Weight"] = "5",
        });
        builder.Services.AddHttpClient("pricing").AddEndpointRouting(builder.Configuration.GetSection("Routing:pricing"));
        using IHost host = builder.Build();

        Func<Task> start = () => host.StartAsync();

        (await start.Should().ThrowAsync<OptionsValidationException>()).Which.Failures.Should().BeEquivalentTo(
        [
            "Routing:pricing:Split:Subsets:v2:Addresses:0 is 'not an address', but it must be an absolute http or https address, such as http://10.0.0.7:5001.",
            "Routing:pricing:Split:Subsets:empty sets none of Version, Zone and Addresses, but a subset selects endpoints by at least one.",
            "Routing:pricing:Split:Routes:0:Exact and Routing:pricing:Split:Routes:0:Prefix are both unset, but a route matches by exactly one of them.",
            "Routing:pricing:Split:Routes:0:Subset is 'v3', but it must be one of empty, v1, v2.",
            "Routing:pricing:Split:Destinations:0:Weight is -5, but it must be 0 or more.",
            "Routing:pricing:Split:Destinations:1:Subset is 'V1', as Routing:pricing:Split:Destinations:0:Subset is, but a subset is a destination once.",
        ]);
    }

    [Fact]
    public void AddErrors_AllZeroWeightsInCode_NamesCodeKeys()
    {
        TrafficSplitOptions options = SplitEndpoints.Options(0, 0);
        options.Subsets.Remove("v2");
        options.Routes.Add(new TrafficRouteOptions { Exact = "a", Prefix = "b", Subset = "v2" });
        var errors = new List<string>();

        TrafficSplitValidator.AddErrors(options, "EndpointRoutingOptions[pricing].", errors);

        errors.Should().Equal(
            "EndpointRoutingOptions[pricing].Split.Routes[0].Header is empty, but a route matches a header.",
            "EndpointRoutingOptions[pricing].Split.Routes[0].Exact and EndpointRoutingOptions[pricing].Split.Routes[0].Prefix are both set, but a route matches by exactly one of them.",
            "EndpointRoutingOptions[pricing].Split.Routes[0].Subset is 'v2', but it must be one of v1.",
            "EndpointRoutingOptions[pricing].Split.Destinations[1].Subset is 'v2', but it must be one of v1.",
            "The weights of EndpointRoutingOptions[pricing].Split.Destinations are all 0, but at least one must be above 0.");
    }

    [Fact]
    public void AddErrors_DestinationWithoutSubsets_FailsAndEmptySplitPasses()
    {
        var options = new TrafficSplitOptions();
        options.Destinations.Add(new TrafficDestinationOptions { Subset = "v1", Weight = 1 });
        var errors = new List<string>();

        TrafficSplitValidator.AddErrors(options, "Routing:pricing:", errors);
        TrafficSplitValidator.AddErrors(new TrafficSplitOptions(), "Routing:pricing:", errors);

        errors.Should().Equal("Routing:pricing:Split:Destinations:0:Subset is 'v1', but Routing:pricing:Split:Subsets defines none.");
    }

    [Fact]
    public void AddErrors_SplitWithoutDestinations_Fails()
    {
        var options = new TrafficSplitOptions { StickyHeader = "x-user" };
        var errors = new List<string>();

        TrafficSplitValidator.AddErrors(options, "Routing:pricing:", errors);

        errors.Should().Equal("Routing:pricing:Split:Destinations is empty, but a split sends the requests no route matches to its destinations.");
    }
}
