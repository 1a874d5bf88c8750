using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace MedImaging.Directory.Subscriptions;

/// <summary>
/// The webhook's signature: <c>X-MedCat-Signature: sha256=&lt;hex&gt;</c>, HMAC-SHA256 with the subscription's secret over
/// <c>"{timestamp}.{body}"</c>, the timestamp (Unix seconds) sent as <c>X-MedCat-Timestamp</c>. Signing the time with the
/// body lets a receiver refuse a replay: a captured request resent later carries an old timestamp, and changing it
/// breaks the signature. Receivers compare in constant time and refuse timestamps more than a few minutes off.
/// </summary>
public static class WebhookSignature
{
    public const string SignatureHeader = "X-MedCat-Signature";
    public const string TimestampHeader = "X-MedCat-Timestamp";
    public const string DeliveryHeader = "X-MedCat-Delivery";
    public const string EventHeader = "X-MedCat-Event";

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(secret);
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed));
    }

    /// <summary>A receiver's check (the tests use it as a receiver would).</summary>
    public static bool Verify(string secret, string? timestampHeader, string? signatureHeader, ReadOnlySpan<byte> body, DateTimeOffset now, TimeSpan tolerance)
    {
        if (!long.TryParse(timestampHeader, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp) || signatureHeader is null) return false;
        if ((now - DateTimeOffset.FromUnixTimeSeconds(timestamp)).Duration() > tolerance) return false;
        var expected = Encoding.ASCII.GetBytes(Sign(secret, timestamp, body));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }

    /// <summary>A fresh secret for a webhook created without one (256 bits, URL-safe).</summary>
    public static string NewSecret() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
