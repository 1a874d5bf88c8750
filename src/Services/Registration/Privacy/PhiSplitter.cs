using MedImaging.Dicom;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// Splits a dataset at the door (§3.3.1): the catalogue keeps what the PS3.15 Basic Application Level Confidentiality
/// Profile with its Clean Descriptors, Clean Structured Content, Retain Full Dates and Retain UIDs options keeps
/// (<see cref="ConfidentialityProfile"/>), with free text cleaned of the patient's names and identifiers
/// (<see cref="DescriptorCleaner"/>); the vault gets the original of everything removed or changed. Also removed
/// everywhere (nested sequences too): every person name (PN), private elements, and binary values (pixel-like bulk,
/// never catalogue metadata). The catalogue copy records the profile in (0012,0062)–(0012,0064). UIDs and dates stay:
/// the catalogue is keyed and searched on them (docs/adr/0007-phi-vault.md, docs/adr/0015-confidentiality-profile.md).
/// </summary>
public static class PhiSplitter
{
    private static readonly HashSet<DicomVR> BinaryVRs = [DicomVR.OB, DicomVR.OW, DicomVR.OF, DicomVR.OD, DicomVR.OL, DicomVR.OV, DicomVR.UN];

    public sealed record Result(DicomDataset Catalogue, IReadOnlyDictionary<string, string[]> Phi, string? PatientId, string? Issuer, string? Accession);

    public static Result Split(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var phi = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        var catalogue = Strip(dataset, "", phi, DescriptorCleaner.For(dataset));
        ConfidentialityProfile.Record(catalogue);
        return new Result(catalogue, phi, dataset.GetString(DicomTags.PatientID), dataset.GetString(DicomTags.IssuerOfPatientID),
            dataset.GetString(DicomTags.AccessionNumber));
    }

    // Free text: where names and identifiers are written.
    private static readonly HashSet<DicomVR> TextVRs = [DicomVR.LO, DicomVR.SH, DicomVR.ST, DicomVR.LT, DicomVR.UT, DicomVR.UC];

    private static DicomDataset Strip(DicomDataset source, string path, SortedDictionary<string, string[]> phi, DescriptorCleaner cleaner)
    {
        var kept = new DicomDataset(source.CharacterSet, source.Count);
        foreach (var e in source)
        {
            if (e.Tag.IsPrivate || e.Tag.Group == 0x0002 || e.Tag.Group == 0x7FE0) continue;
            var here = path + e.Tag.ToHex();
            if (e.ValueVR == DicomVR.PN || ConfidentialityProfile.ActionFor(e.Tag) == CatalogueAction.Remove)
            {
                Collect(e, here, phi);
                continue;
            }
            if (e is DicomSequence sq)
            {
                kept.Add(new DicomSequence(e.Tag, sq.Items.Select((item, i) => Strip(item, $"{here}[{i}]/", phi, cleaner))));
                continue;
            }
            if (e is DicomFragmentSequence || e.BulkDataUri is not null || BinaryVRs.Contains(e.ValueVR)) continue;
            // Every kept free text is cleaned, not only the table's C rows: a name in Manufacturer's Model Name is as
            // visible as one in Study Description. Cleaned values are UTF-8 (the element carries its character set).
            if (!cleaner.IsEmpty && TextVRs.Contains(e.ValueVR) && e.GetString() is { Length: > 0 } text
                && cleaner.Clean(text) is var clean && !ReferenceEquals(clean, text))
            {
                phi[here] = e.GetStrings();
                kept.Add(new DicomDataset(DicomCharacterSet.Utf8).Add(e.Tag, e.ValueVR, clean).GetElement(e.Tag)!);
                continue;
            }
            kept.Add(e);
        }
        return kept;
    }

    private static void Collect(DicomElement e, string path, SortedDictionary<string, string[]> phi)
    {
        if (e is DicomSequence sq)
        {
            for (var i = 0; i < sq.Items.Count; i++)
                foreach (var inner in sq.Items[i]) Collect(inner, $"{path}[{i}]/{inner.Tag.ToHex()}", phi);
            return;
        }
        if (e.ValueVR.IsString && e.GetStrings() is { Length: > 0 } values) phi[path] = values;
    }
}
