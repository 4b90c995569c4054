using System.Globalization;

namespace CascadeDemo;

/// <summary>The settings of a run, from the command line.</summary>
/// <param name="Rate">Requests per second sent to each chain.</param>
/// <param name="Phase">How long each of the six phases lasts.</param>
/// <param name="ReportPath">Where the HTML report is written; <see langword="null"/> writes none.</param>
/// <param name="Help">Whether <c>--help</c> was asked for.</param>
/// <param name="Etcd">
/// With <c>--discovery etcd</c>, the client URL of the etcd registry the services register in and resolve each other
/// from; <see langword="null"/> (the default) gives each client the fixed address of the next service from configuration.
/// </param>
/// <param name="Mtls">
/// With <c>--mtls</c>, every service speaks mutual TLS with its own SPIFFE identity from a development CA, and Pricing (C)
/// accepts only Inventory (B); the demo also calls Pricing directly with Order's identity, which is refused with 403.
/// </param>
internal sealed record DemoSettings(double Rate, TimeSpan Phase, string? ReportPath, bool Help = false, Uri? Etcd = null, bool Mtls = false)
{
    /// <summary>The etcd client URL used by <c>--discovery etcd</c> when <c>--etcd</c> is not given.</summary>
    public static readonly Uri DefaultEtcd = new("http://127.0.0.1:2379");

    /// <summary>The default load: 40 requests per second, enough to fill a breaker's window in well under a second.</summary>
    public const double DefaultRate = 40;

    /// <summary>The default phase: 10 seconds, so the six phases take about a minute.</summary>
    public static readonly TimeSpan DefaultPhase = TimeSpan.FromSeconds(10);

    /// <summary>The default report file, in the current directory.</summary>
    public const string DefaultReportPath = "cascade-report.html";

    /// <summary>The usage text printed by <c>--help</c> and after a bad flag.</summary>
    public const string Usage = """
        Usage: dotnet run -c Release --project samples/CascadeDemo -- [options]

          --rate <rps>       requests per second sent to each chain (default 40, 1 to 500)
          --phase <seconds>  length of each of the six phases (default 10, 2 to 600)
          --report <path>    the HTML report to write (default cascade-report.html)
          --discovery <mode> how a service finds the next one: configuration (default, fixed addresses) or
                             etcd (each instance registers itself; clients resolve http://inventory and so on)
          --etcd <url>       the etcd client URL of --discovery etcd (default http://127.0.0.1:2379)
          --mtls             mutual TLS between the services, each with its own SPIFFE identity from a development
                             CA, and a policy under which Pricing (C) accepts only Inventory (B)
          --help             print this text
        """;

    /// <summary>Parses the command line.</summary>
    /// <exception cref="FormatException">A flag is unknown, has no value, or has a bad value; the message names it.</exception>
    public static DemoSettings Parse(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var settings = new DemoSettings(DefaultRate, DefaultPhase, DefaultReportPath);
        bool etcd = false;
        Uri? etcdUrl = null;
        for (int i = 0; i < args.Count; i++)
        {
            string flag = args[i];
            switch (flag)
            {
                case "--help" or "-h" or "-?":
                    settings = settings with { Help = true };
                    break;
                case "--rate":
                    settings = settings with { Rate = Number(flag, Value(args, ref i), 1, 500) };
                    break;
                case "--phase":
                    settings = settings with { Phase = TimeSpan.FromSeconds(Number(flag, Value(args, ref i), 2, 600)) };
                    break;
                case "--report":
                    string path = Value(args, ref i);
                    settings = settings with { ReportPath = string.IsNullOrWhiteSpace(path) ? throw new FormatException("--report needs a file path.") : path };
                    break;
                case "--discovery":
                    string mode = Value(args, ref i);
                    etcd = mode switch
                    {
                        "configuration" => false,
                        "etcd" => true,
                        _ => throw new FormatException($"--discovery is '{mode}', but it must be configuration or etcd."),
                    };
                    break;
                case "--mtls":
                    settings = settings with { Mtls = true };
                    break;
                case "--etcd":
                    string url = Value(args, ref i);
                    etcdUrl = Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed) && parsed.Scheme is "http" or "https"
                        ? parsed
                        : throw new FormatException($"--etcd is '{url}', but it must be an http or https URL, such as {DefaultEtcd}.");
                    break;
                default:
                    throw new FormatException($"'{flag}' is not a known option.");
            }
        }

        if (etcdUrl is not null && !etcd)
        {
            throw new FormatException("--etcd needs --discovery etcd.");
        }

        return etcd ? settings with { Etcd = etcdUrl ?? DefaultEtcd } : settings;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new FormatException($"{args[i - 1]} needs a value.");

    private static double Number(string flag, string text, double min, double max)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || !double.IsFinite(value))
        {
            throw new FormatException($"{flag} is '{text}', but it must be a number.");
        }

        return value < min || value > max
            ? throw new FormatException($"{flag} is {value.ToString(CultureInfo.InvariantCulture)}, but it must be from {min} to {max}.")
            : value;
    }
}
