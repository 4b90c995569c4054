using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resilience.DependencyInjection.Tests;

/// <summary>Builds configuration from JSON and services without a host, and runs the start-up validation as a host does.</summary>
internal static class TestConfiguration
{
    public static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

    /// <summary>The <c>Resilience</c> section of <paramref name="json"/>.</summary>
    public static IConfigurationSection Section(string json) => Json(json).GetSection("Resilience");

    public static ServiceProvider Services(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Runs the validation the host runs at start, and returns its failures.</summary>
    public static IEnumerable<string> StartFailures(ServiceProvider provider)
    {
        IStartupValidator validator = provider.GetRequiredService<IStartupValidator>();
        return validator.Invoking(v => v.Validate()).Should().Throw<OptionsValidationException>().Which.Failures;
    }

    /// <summary>Runs the validation the host runs at start, which must pass.</summary>
    public static void StartSucceeds(ServiceProvider provider) =>
        provider.GetRequiredService<IStartupValidator>().Invoking(v => v.Validate()).Should().NotThrow();
}
