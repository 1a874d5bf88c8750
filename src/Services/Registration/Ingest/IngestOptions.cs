using MedImaging.ServiceDefaults.Node;

namespace MedImaging.Registration.Ingest;

/// <summary>Limits and links of the ingest endpoints (configuration section <c>Registration:Ingest</c>).</summary>
public sealed class IngestOptions
{
    /// <summary>Largest single part (one Part-10 instance or one DICOM JSON instance); larger ones fail with 0xA700.</summary>
    public long MaxPartBytes { get; set; } = 512L * 1024 * 1024;

    /// <summary>Largest whole request: the node file's <c>ingest.maxRequestBytes</c> (the gateway enforces the same number).</summary>
    public long? MaxRequestBytes { get; set; } = 16L * 1024 * 1024 * 1024;

    /// <summary>
    /// Most parts (STOW-RS) or array elements (DICOM JSON) one request may carry; the part after the limit ends the
    /// request with a 413 naming it. Each part becomes an acquisition-log item, so an unbounded request is an unbounded
    /// batch. Real clients send tens per request (medcat push: 20; Orthanc's DICOMweb client: 1 per file or a study).
    /// </summary>
    public int MaxPartsPerRequest { get; set; } = 1000;

    /// <summary>Part bytes kept in memory before spooling to a temporary file.</summary>
    public int PartMemoryThreshold { get; set; } = 1024 * 1024;

    /// <summary>Where a study's data can be fetched when the instance carries no Retrieve URL: per adapter (token client id or subject).</summary>
    public Dictionary<string, AdapterOptions> Adapters { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Fallback DICOMweb base URL for adapters without their own.</summary>
    public Uri? DefaultPacsBaseUrl { get; set; }

    /// <summary>This configuration's URL for the adapter, else the node file's (<c>adapters.&lt;id&gt;.dicomWebBaseUrl</c>), else the default.</summary>
    public Uri? PacsBaseUrlFor(string adapter, NodeDescriptor? node)
        => Adapters.GetValueOrDefault(adapter)?.DicomWebBaseUrl ?? node?.Adapters.GetValueOrDefault(adapter)?.DicomWebBaseUrl ?? DefaultPacsBaseUrl;
}

public sealed class AdapterOptions
{
    public Uri? DicomWebBaseUrl { get; set; }
}

/// <summary>PS3.4 Table GG.4-1 / PS3.18 failure and warning reasons the store response uses.</summary>
public static class StoreStatus
{
    public const ushort ProcessingFailure = 0x0110;

    /// <summary>PS3.7 C.4 "Duplicate SOP Instance": the SOP Instance UID is already held in another study (ADR 0016).</summary>
    public const ushort DuplicateSopInstance = 0x0111;
    public const ushort OutOfResources = 0xA700;
    public const ushort DataSetDoesNotMatchSopClass = 0xA900;
    public const ushort CannotUnderstand = 0xC000;
    public const ushort CoercionOfDataElements = 0xB000;
}
