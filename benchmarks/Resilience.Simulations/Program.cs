using System.Diagnostics;
using Resilience.Simulations.Sidecar;
using Resilience.Simulations.Simulation;

// simulate: the traffic-management simulations in virtual time (seconds), written to benchmarks/results/simulations.md.
// sidecar:  A → B on loopback through a YARP proxy against A → B direct with AddEndpointRouting, to benchmarks/results/sidecar.md.
string mode = args.Length > 0 ? args[0] : "simulate";
string results = Path.Combine(RepositoryRoot(), "benchmarks", "results");
switch (mode)
{
    case "simulate":
        var watch = Stopwatch.StartNew();
        string table = Scenarios.Markdown(TimeSpan.FromSeconds(120), seed: 1);
        Console.WriteLine(table);
        await File.WriteAllTextAsync(Path.Combine(results, "simulations.md"), table);
        Console.WriteLine($"Simulated in {watch.Elapsed.TotalSeconds:0.0} s; written to {Path.Combine(results, "simulations.md")}");
        return 0;
    case "sidecar":
        // An optional number of seconds per round makes a quick check, which is printed but not written.
        TimeSpan measured = args.Length > 1 ? TimeSpan.FromSeconds(int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture)) : SidecarRun.DefaultMeasured;
        string report = await SidecarRun.RunAsync(Console.Out, measured);
        Console.WriteLine(report);
        if (measured == SidecarRun.DefaultMeasured)
        {
            await File.WriteAllTextAsync(Path.Combine(results, "sidecar.md"), report);
            Console.WriteLine($"Written to {Path.Combine(results, "sidecar.md")}");
        }

        return 0;
    default:
        Console.Error.WriteLine("Usage: dotnet run -c Release --project benchmarks/Resilience.Simulations -- simulate | sidecar [seconds per round]");
        return 2;
}

static string RepositoryRoot()
{
    for (DirectoryInfo? directory = new(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Resilience.sln")))
        {
            return directory.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository: benchmarks/results/ is found beside Resilience.sln.");
}
