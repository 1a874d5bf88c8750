using Serilog.Context;

namespace MedImaging.ServiceDefaults.Logging;

/// <summary>
/// The correlation id of the unit of work in progress: taken from the incoming request or message, carried on
/// outgoing HTTP calls and outbox messages, and attached to every log event as <c>CorrelationId</c>.
/// </summary>
public static class CorrelationContext
{
    public const string HeaderName = "X-Correlation-Id";
    private static readonly AsyncLocal<string?> CurrentId = new();

    public static string? Current => CurrentId.Value;

    public static IDisposable Begin(string? id)
    {
        var previous = CurrentId.Value;
        CurrentId.Value = IsAcceptable(id) ? id : Guid.NewGuid().ToString("N");
        var logScope = LogContext.PushProperty("CorrelationId", CurrentId.Value);
        return new Scope(previous, logScope);
    }

    // A caller-supplied id lands in logs and headers: keep it short and printable.
    private static bool IsAcceptable(string? id) =>
        id is { Length: > 0 and <= 100 } && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');

    private sealed class Scope(string? previous, IDisposable logScope) : IDisposable
    {
        public void Dispose()
        {
            logScope.Dispose();
            CurrentId.Value = previous;
        }
    }
}
