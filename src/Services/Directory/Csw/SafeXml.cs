using System.Xml;
using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>
/// XML from callers, read without DTDs (so no entity expansion, internal or external) and without a resolver, within a
/// size limit. Anything malformed is an InvalidParameterValue naming where it came from, never a server error.
/// </summary>
internal static class SafeXml
{
    private static XmlReaderSettings Settings => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersInDocument = CswNames.MaxRequestBytes,
        MaxCharactersFromEntities = 0,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        Async = true,
    };

    public static XElement Parse(string text, string locator)
    {
        try
        {
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            return XElement.Load(reader, LoadOptions.None);
        }
        catch (XmlException e)
        {
            throw CswException.Invalid(locator, $"Not well-formed XML: {e.Message}");
        }
    }

    /// <summary>A request body: at most <see cref="CswNames.MaxRequestBytes"/> bytes, in the encoding its declaration names.</summary>
    public static async Task<XElement> LoadAsync(Stream body, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int n;
        while ((n = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + n > CswNames.MaxRequestBytes)
                throw new CswException(OwsExceptionCodes.NoApplicableCode, "request", $"The request body is larger than {CswNames.MaxRequestBytes} bytes.");
            buffer.Write(chunk, 0, n);
        }
        if (buffer.Length == 0) throw CswException.Missing("request");
        buffer.Position = 0;
        try
        {
            using var reader = XmlReader.Create(buffer, Settings);
            return await XElement.LoadAsync(reader, LoadOptions.None, ct);
        }
        catch (XmlException e)
        {
            throw CswException.Invalid("request", $"Not well-formed XML: {e.Message}");
        }
    }
}
