namespace CascadeDemo;

/// <summary>The report's inline style sheet: page layout, table, and the classes the SVG charts and legends share.</summary>
/// <remarks>Only system font stacks: the page must not load a web font. Breaker colours follow the convention of
/// green for closed, red for open and amber for half-open; outcome colours avoid red and amber except for errors.</remarks>
internal static class ReportStyles
{
    /// <summary>The CSS, placed in the page's <c>&lt;style&gt;</c> element.</summary>
    public const string Css = """

        :root { --ink: #1d2430; --muted: #5b6474; --rule: #d8dce3; --resilient: #1f6fbf; --plain: #d2691e;
          --success: #3a9d5d; --fallback: #7d9bc9; --error: #c43c39; --closed: #bfe3c8; --open: #e0534a; --halfopen: #f0b43c; }
        * { box-sizing: border-box; }
        body { margin: 0; background: #fff; color: var(--ink);
          font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
        main { max-width: 1400px; margin: 0 auto; padding: 24px 30px 32px; }
        h1 { font-size: 26px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 30px 0 6px; padding-top: 10px; border-top: 1px solid var(--rule); }
        .meta { color: var(--muted); margin: 0 0 10px; }
        .meta b { color: var(--ink); }
        .intro { max-width: 1100px; margin: 0 0 8px; }
        table.phases { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 13px; font-variant-numeric: tabular-nums; }
        table.phases th, table.phases td { padding: 5px 6px; border-bottom: 1px solid var(--rule); text-align: right; white-space: nowrap; }
        table.phases col.phase { width: 190px; }
        table.phases thead th { font-weight: 600; color: var(--muted); font-size: 12px; white-space: normal; vertical-align: bottom; line-height: 1.2; }
        table.phases th.chain { text-align: center; color: #fff; font-size: 13.5px; }
        table.phases th.resilient { background: var(--resilient); }
        table.phases th.plain { background: var(--plain); }
        table.phases th.phase { text-align: left; color: var(--ink); }
        table.phases th.phase small { display: block; font-weight: 400; color: var(--muted); font-size: 11.5px; white-space: normal; line-height: 1.25; }
        table.phases .last { border-right: 2px solid var(--rule); }
        table.phases tr.phase-down { background: #fdecea; }
        table.phases tr.phase-down th.phase { box-shadow: inset 4px 0 0 var(--error); }
        table.phases td.empty { text-align: center; color: var(--muted); }
        figure { margin: 10px 0 4px; }
        figcaption { font-weight: 600; font-size: 14px; margin: 0 0 2px; }
        .legend { display: flex; flex-wrap: wrap; gap: 6px 20px; font-size: 13px; color: var(--muted); margin: 2px 0; }
        .legend span { display: inline-flex; align-items: center; gap: 6px; }
        .legend-title { font-weight: 600; }
        .swatch { display: inline-block; width: 14px; height: 14px; border-radius: 2px; }
        .swatch-line, .swatch-dash { display: inline-block; width: 24px; height: 0; border-top: 3px solid; }
        .swatch-dash { border-top: 2px dashed #4b5361; }
        .swatch-line.p50 { border-color: #1d4e89; } .swatch-line.p99 { border-color: #8e44ad; }
        .swatch-line.inflight-resilient { border-color: var(--resilient); } .swatch-line.inflight-plain { border-color: var(--plain); }
        .key-success { background: var(--success); } .key-fallback { background: var(--fallback); } .key-error { background: var(--error); }
        .key-closed { background: var(--closed); } .key-open { background: var(--open); } .key-halfopen { background: var(--halfopen); }
        svg.chart { display: block; width: 100%; height: auto; font-size: 12.5px; }
        svg.chart text { fill: var(--muted); }
        svg.chart .phase-label { fill: var(--ink); font-weight: 600; }
        svg.chart .tick-y { text-anchor: end; }
        svg.chart .tick-x { text-anchor: middle; }
        svg.chart .axis-title { font-size: 12px; text-anchor: middle; }
        svg.chart .axis-title-x { text-anchor: end; }
        svg.chart .threshold-label { text-anchor: end; fill: #4b5361; font-size: 11.5px; }
        svg.chart .empty-message { text-anchor: middle; font-size: 16px; }
        svg.chart .grid { stroke: #e6e9ee; stroke-width: 1; }
        svg.chart .axis { stroke: #8a93a3; stroke-width: 1; }
        svg.chart .phase-shade { fill: #f5f6f8; }
        svg.chart .phase-separator { stroke: #9aa3b2; stroke-width: 1; stroke-dasharray: 3 3; }
        svg.chart .attempt-timeout { stroke: #4b5361; stroke-width: 1.5; stroke-dasharray: 7 5; }
        svg.chart .line { fill: none; stroke-width: 2; stroke-linejoin: round; stroke-linecap: round; }
        svg.chart .p50 { stroke: #1d4e89; stroke-width: 2.2; }
        svg.chart .p99 { stroke: #8e44ad; stroke-width: 1.6; }
        svg.chart .inflight-resilient { stroke: var(--resilient); stroke-width: 2.2; }
        svg.chart .inflight-plain { stroke: var(--plain); stroke-width: 2.2; }
        svg.chart .bar-success { fill: var(--success); } svg.chart .bar-fallback { fill: var(--fallback); } svg.chart .bar-error { fill: var(--error); }
        svg.chart .band-closed { fill: var(--closed); } svg.chart .band-open { fill: var(--open); } svg.chart .band-halfopen { fill: var(--halfopen); }
        svg.chart .band-disabled, svg.chart .band-forcedopen, svg.chart .band-metricsonly { fill: #b9bec8; }
        svg.chart .band-bg-open { fill: var(--open); opacity: 0.12; } svg.chart .band-bg-halfopen { fill: var(--halfopen); opacity: 0.22; }
        svg.chart .band-bg-disabled, svg.chart .band-bg-forcedopen, svg.chart .band-bg-metricsonly { fill: #b9bec8; opacity: 0.2; }
        .ep-0 { background: #1f6fbf; } .ep-1 { background: #3a9d5d; } .ep-2 { background: #8e44ad; } .ep-3 { background: #d2691e; } .ep-4 { background: #5b6474; }
        svg.chart .bar.ep-0, svg.chart .band.ep-0 { fill: #1f6fbf; } svg.chart .bar.ep-1, svg.chart .band.ep-1 { fill: #3a9d5d; }
        svg.chart .bar.ep-2, svg.chart .band.ep-2 { fill: #8e44ad; } svg.chart .bar.ep-3, svg.chart .band.ep-3 { fill: #d2691e; }
        svg.chart .bar.ep-4, svg.chart .band.ep-4 { fill: #5b6474; }
        svg.chart .band-ejected { stroke: var(--error); stroke-width: 1.5; }
        svg.chart .band-over { fill: #1d2430; opacity: 0.18; }
        footer { margin-top: 24px; color: var(--muted); font-size: 12.5px; }

        """;
}
