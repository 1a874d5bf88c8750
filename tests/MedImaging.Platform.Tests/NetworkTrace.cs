using System.Net;
using System.Text.RegularExpressions;

namespace MedImaging.Platform.Tests;

/// <summary>
/// Reads <c>strace -e trace=connect,sendto,sendmsg,sendmmsg</c> output and lists every attempt to reach an internet
/// address that is not allowed: anything but loopback (and the test servers' own addresses), and any DNS query at all
/// (port 53 — the hosts are configured with addresses, so a name lookup means something wants to go out).
/// </summary>
internal static partial class NetworkTrace
{
    public static IReadOnlyList<string> Outbound(IEnumerable<string> lines, IReadOnlySet<IPAddress> allowed)
    {
        var found = new List<string>();
        foreach (var line in lines)
        {
            foreach (Match m in Address().Matches(line))
            {
                var port = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                var address = IPAddress.Parse(m.Groups["v4"].Success ? m.Groups["v4"].Value : m.Groups["v6"].Value);
                if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
                if (port == 53 || !(IPAddress.IsLoopback(address) || allowed.Contains(address))) found.Add(line.Trim());
            }
        }
        return found;
    }

    // {sa_family=AF_INET, sin_port=htons(53), sin_addr=inet_addr("10.255.255.53")}
    // {sa_family=AF_INET6, sin6_port=htons(443), sin6_flowinfo=htonl(0), inet_pton(AF_INET6, "2001:db8::1", &sin6_addr), ...}
    [GeneratedRegex("""sa_family=AF_INET6?, sin6?_port=htons\((?<port>\d+)\)(?:, sin_addr=inet_addr\("(?<v4>[^"]+)"\)|, sin6_flowinfo=[^,]+, inet_pton\(AF_INET6, "(?<v6>[^"]+)")""")]
    private static partial Regex Address();
}
