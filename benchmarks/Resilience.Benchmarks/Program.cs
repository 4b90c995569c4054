using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Running;

namespace Resilience.Benchmarks;

public static class Program
{
    public static void Main(string[] args)
    {
        // Minimal global config: the default columns, logger, analysers and validators (which refuse non-optimized
        // builds), the memory diagnoser, only the GitHub-markdown exporter (run-benchmarks.sh copies its reports to
        // benchmarks/results), a build timeout long enough for a busy machine (the default is 2 minutes), and the
        // default artifacts folder under the working directory. DefaultConfig is not used as the base because it
        // already carries the GitHub exporter, and adding it again triggers a warning.
        // Jobs come from the command line (--job dry/short/..., or --launchCount/--warmupCount/--iterationCount).
        IConfig config = ManualConfig.CreateMinimumViable()
            .AddAnalyser([.. DefaultConfig.Instance.GetAnalysers()])
            .AddValidator([.. DefaultConfig.Instance.GetValidators()])
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddExporter(MarkdownExporter.GitHub)
            .WithBuildTimeout(TimeSpan.FromMinutes(10))
            .WithArtifactsPath(Path.Combine(Directory.GetCurrentDirectory(), "BenchmarkDotNet.Artifacts"));

        _ = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    }
}
