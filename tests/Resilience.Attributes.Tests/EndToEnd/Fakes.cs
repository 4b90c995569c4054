namespace Resilience.Attributes.Tests.EndToEnd;

/// <summary>A scripted inventory: each call runs the next step, or succeeds.</summary>
public sealed class FakeInventory : IInventory
{
    public Queue<Func<CancellationToken, Task<int>>> Stock { get; } = new();

    public Func<int> CountCall { get; set; } = () => 1;

    public int StockCalls { get; private set; }

    public int Resets { get; private set; }

    public int Refreshes { get; private set; }

    public int Pings { get; private set; }

    public string Region { get; set; } = "eu";

    public Task<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        StockCalls++;
        return Stock.Count > 0 ? Stock.Dequeue()(cancellationToken) : Task.FromResult(sku.Length);
    }

    public int Count(string sku) => CountCall();

    public void Reset(string sku) => Resets++;

    public Task RefreshAsync(CancellationToken cancellationToken)
    {
        Refreshes++;
        return Task.CompletedTask;
    }

    public ValueTask PingAsync()
    {
        Pings++;
        return ValueTask.CompletedTask;
    }

    public Func<CancellationToken, ValueTask<string>> Name { get; set; } = _ => ValueTask.FromResult("inventory");

    public ValueTask<string> NameAsync(CancellationToken cancellationToken) => Name(cancellationToken);
}

/// <summary>Renders a report.</summary>
public sealed class Reports : IReports
{
    public Task<string> RenderAsync(int id) => Task.FromResult($"report {id}");
}
