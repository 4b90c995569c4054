namespace AttributesSample;

/// <summary>An inventory that is slow or down on demand.</summary>
internal sealed class FakeInventoryService : IInventoryService
{
    private int _calls;

    /// <summary>Gets or sets whether every call fails.</summary>
    public static bool IsDown { get; set; }

    /// <summary>Gets how many calls reached the implementation.</summary>
    public static int Calls { get; private set; }

    public async Task<int> GetStockAsync(string sku, CancellationToken cancellationToken)
    {
        Calls++;
        await Task.Yield();
        return IsDown ? throw new HttpRequestException("inventory unavailable") : 10 + (++_calls % 3);
    }

    public ValueTask ReserveAsync(string sku, int quantity, CancellationToken cancellationToken)
    {
        Calls++;
        return IsDown ? ValueTask.FromException(new HttpRequestException("inventory unavailable")) : ValueTask.CompletedTask;
    }
}
