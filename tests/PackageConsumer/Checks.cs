using Resilience;

namespace PackageConsumer;

/// <summary>Prints one line per check and turns any failure into exit code 1.</summary>
internal sealed class Checks
{
    /// <summary>How long a breaker may take to reach a state it is waiting for; generous, because CI machines are busy.</summary>
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private int _passed;
    private int _failed;

    public void Check(string name, bool passed)
    {
        Console.WriteLine($"{(passed ? "ok  " : "FAIL")}  {name}");
        if (passed)
        {
            _passed++;
        }
        else
        {
            _failed++;
        }
    }

    public int Summarize()
    {
        Console.WriteLine($"package consumer: {_passed} passed, {_failed} failed");
        return _failed == 0 ? 0 : 1;
    }

    /// <summary>Completes when <paramref name="breaker"/> transitions to <paramref name="state"/>; subscribe before the calls that lead there.</summary>
    public static Task WaitForStateAsync(CircuitBreaker breaker, CircuitBreakerState state)
    {
        var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        breaker.Events.StateTransition += e =>
        {
            if (e.ToState == state)
            {
                reached.TrySetResult();
            }
        };
        return reached.Task;
    }

    /// <summary>Waits for <paramref name="task"/> up to the deadline: true when it completed.</summary>
    public static async Task<bool> CompletesAsync(Task task)
    {
        try
        {
            await task.WaitAsync(Deadline);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }
}
