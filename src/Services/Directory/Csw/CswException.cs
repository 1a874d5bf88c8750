using System.Xml.Linq;

namespace MedImaging.Directory.Csw;

/// <summary>The OWS 1.0 exception codes a CSW answers with (OGC 05-008 table 25, 07-006r1 §10.3.7).</summary>
public static class OwsExceptionCodes
{
    public const string MissingParameterValue = "MissingParameterValue";
    public const string InvalidParameterValue = "InvalidParameterValue";
    public const string NoApplicableCode = "NoApplicableCode";
    public const string OperationNotSupported = "OperationNotSupported";
    public const string VersionNegotiationFailed = "VersionNegotiationFailed";
}

/// <summary>A request the binding refuses, with the OWS exception code and the parameter at fault (the locator).</summary>
public sealed class CswException(string code, string? locator, string message) : Exception(message)
{
    public string Code { get; } = code;
    public string? Locator { get; } = locator;

    public static CswException Missing(string parameter) =>
        new(OwsExceptionCodes.MissingParameterValue, parameter, $"Parameter '{parameter}' is required.");

    public static CswException Invalid(string parameter, string message) => new(OwsExceptionCodes.InvalidParameterValue, parameter, message);

    /// <summary>The ows:ExceptionReport document (version 1.2.0 of the report schema, as 07-006r1's example).</summary>
    public XDocument Report() => new(new XDeclaration("1.0", "utf-8", null),
        new XElement(CswNames.Ows + "ExceptionReport",
            new XAttribute("version", "1.2.0"), new XAttribute(XNamespace.Xmlns + "ows", CswNames.Ows.NamespaceName),
            new XElement(CswNames.Ows + "Exception",
                new XAttribute("exceptionCode", Code),
                Locator is null ? null : new XAttribute("locator", Locator),
                new XElement(CswNames.Ows + "ExceptionText", Message))));
}
