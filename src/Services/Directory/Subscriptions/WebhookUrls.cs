namespace MedImaging.Directory.Subscriptions;

/// <summary>
/// Which webhook URLs the directory will call: absolute http or https, no user info, and a host the operator allows
/// (<see cref="WebhookOptions.AllowedHosts"/>). Without the allow-list any subscriber could make the directory POST into
/// the node's own network and read the outcome from the subscription's last error (SSRF, ADR 0029).
/// </summary>
public static class WebhookUrls
{
    /// <summary>Null when the URL may be called; otherwise why not.</summary>
    public static string? Problem(string? url, IReadOnlyCollection<string> allowedHosts)
    {
        ArgumentNullException.ThrowIfNull(allowedHosts);
        if (string.IsNullOrWhiteSpace(url)) return "A webhook needs a url.";
        if (url.Length > 2000) return "The url is longer than 2000 characters.";
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return $"'{url}' is not an absolute URL.";
        if (uri.Scheme is not ("http" or "https")) return $"The url's scheme is '{uri.Scheme}'; only http and https are called.";
        if (uri.UserInfo.Length > 0) return "The url must not carry user information; the signature authenticates the directory.";
        if (uri.Fragment.Length > 0) return "The url must not have a fragment.";
        if (!Allowed(uri.IdnHost, allowedHosts))
            return allowedHosts.Count == 0
                ? "This node calls no webhooks: its operator has allowed no host (Directory:Webhooks:AllowedHosts)."
                : $"The host '{uri.Host}' is not among the hosts this node calls webhooks on: {string.Join(", ", allowedHosts)}.";
        return null;
    }

    private static bool Allowed(string host, IReadOnlyCollection<string> allowed) => allowed.Any(a =>
        a.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(a[1..], StringComparison.OrdinalIgnoreCase) && host.Length > a.Length - 1
            : string.Equals(host, a, StringComparison.OrdinalIgnoreCase));
}
