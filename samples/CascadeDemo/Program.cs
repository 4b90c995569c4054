// The cascade demo: Order (A) → Inventory (B) → Pricing (C) → Warehouse (D), twice, with and without resilience,
// under the same load while Warehouse goes slow, fails, goes down and recovers. Run it with:
//   dotnet run -c Release --project samples/CascadeDemo [-- --rate 40 --phase 10 --report cascade-report.html]
using CascadeDemo;

DemoSettings settings;
try
{
    settings = DemoSettings.Parse(args);
}
catch (FormatException ex)
{
    Console.Error.WriteLine(ex.Message);
    Console.Error.WriteLine(DemoSettings.Usage);
    return 2;
}

if (settings.Help)
{
    Console.WriteLine(DemoSettings.Usage);
    return 0;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true; // stop the run cleanly instead of killing the process
    cancel.Cancel();
};

var console = new ConsoleReport(Console.Out);
console.Header(settings, DemoPhases.All.Count);
DemoRun run;
try
{
    run = await CascadeRunner.RunAsync(settings, console, cancel.Token);
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    Console.WriteLine("Cancelled.");
    return 1;
}

console.Summary(run);
if (settings.ReportPath is not null)
{
    string path = Path.GetFullPath(settings.ReportPath);
    await File.WriteAllTextAsync(path, ReportWriter.Render(run));
    Console.WriteLine();
    Console.WriteLine($"Report written to {path}");
}

return 0;
