using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Resilience.Http.Tests.Configuration;

/// <summary>Builds configuration from JSON and services without a host, and runs the start-up validation.</summary>
internal static class ConfigurationTestHost
{
    public static IConfigurationRoot Json(string json) =>
        new ConfigurationBuilder().AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json))).Build();

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
}
