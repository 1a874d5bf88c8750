namespace MedImaging.Ingest.Bench;

/// <summary>Undo actions run once, newest first, whether the run ends normally, fails, or is interrupted.</summary>
public sealed class Cleanup : IAsyncDisposable
{
    private readonly Stack<Action> _actions = new();
    private readonly Lock _gate = new();

    public void Add(Action action)
    {
        lock (_gate) _actions.Push(action);
    }

    public void RunNow()
    {
        while (true)
        {
            Action action;
            lock (_gate)
            {
                if (_actions.Count == 0) return;
                action = _actions.Pop();
            }
            try
            {
                action();
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
            {
                Console.Error.WriteLine($"cleanup: {ex.Message}");
            }
        }
    }

    public ValueTask DisposeAsync()
    {
        RunNow();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Exports the variables of deploy/local/servers.sh's env file that the environment does not already set.</summary>
public static class LocalEnvironment
{
    public static void Load(string path)
    {
        if (!File.Exists(path)) return;
        foreach (var line in File.ReadLines(path))
        {
            var text = line.Trim();
            if (!text.StartsWith("export ", StringComparison.Ordinal)) continue;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0) continue;
            var key = text[7..eq].Trim();
            var value = text[(eq + 1)..].Trim().Trim('"');
            if (Environment.GetEnvironmentVariable(key) is null) Environment.SetEnvironmentVariable(key, value);
        }
    }
}
