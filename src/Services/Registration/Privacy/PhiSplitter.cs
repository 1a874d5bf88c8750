using MedImaging.Dicom;

namespace MedImaging.Registration.Privacy;

/// <summary>
/// Splits a dataset at the door (§3.3.1): the identifying attributes go to the vault, the catalogue keeps the rest.
/// Removed everywhere (nested sequences too): the patient identification and demographic attributes below, every
/// person name (PN), private elements, and binary values (they are pixel-like bulk, never catalogue metadata).
/// UIDs and the study date stay: they are what the catalogue is keyed and searched on (see docs/adr/0007-phi-vault.md).
/// </summary>
public static class PhiSplitter
{
    private static readonly HashSet<uint> Identifying =
    [
        0x00100010, // PatientName
        0x00100020, // PatientID
        0x00100021, // IssuerOfPatientID
        0x00100022, // TypeOfPatientID
        0x00100024, // IssuerOfPatientIDQualifiersSequence
        0x00100030, // PatientBirthDate
        0x00100032, // PatientBirthTime
        0x00100050, // PatientInsurancePlanCodeSequence
        0x00101000, // OtherPatientIDs
        0x00101001, // OtherPatientNames
        0x00101002, // OtherPatientIDsSequence
        0x00101005, // PatientBirthName
        0x00101010, // PatientAge
        0x00101020, // PatientSize
        0x00101030, // PatientWeight
        0x00101040, // PatientAddress
        0x00101060, // PatientMotherBirthName
        0x00101080, // MilitaryRank
        0x00101081, // BranchOfService
        0x00101090, // MedicalRecordLocator
        0x00102150, // CountryOfResidence
        0x00102152, // RegionOfResidence
        0x00102154, // PatientTelephoneNumbers
        0x00102155, // PatientTelecomInformation
        0x00102297, // ResponsiblePerson
        0x00102299, // ResponsibleOrganization
        0x00104000, // PatientComments
        0x00080050, // AccessionNumber
        0x00080080, // InstitutionName (names the hospital a patient attended)
        0x00080081, // InstitutionAddress
        0x00080092, // ReferringPhysicianAddress
        0x00080094, // ReferringPhysicianTelephoneNumbers
        0x00081040, // InstitutionalDepartmentName
        0x00081120, // ReferencedPatientSequence
        0x00200010, // StudyID (often the hospital's exam number)
        0x00321033, // RequestingService
        0x00380010, // AdmissionID
        0x00380300, // CurrentPatientLocation
        0x00380400, // PatientInstitutionResidence
        0x00401001, // RequestedProcedureID
        0x00400009, // ScheduledProcedureStepID
        0x00400253, // PerformedProcedureStepID
        0x00402016, // PlacerOrderNumberImagingServiceRequest
        0x00402017, // FillerOrderNumberImagingServiceRequest
    ];

    private static readonly HashSet<DicomVR> BinaryVRs = [DicomVR.OB, DicomVR.OW, DicomVR.OF, DicomVR.OD, DicomVR.OL, DicomVR.OV, DicomVR.UN];

    public sealed record Result(DicomDataset Catalogue, IReadOnlyDictionary<string, string[]> Phi, string? PatientId, string? Issuer, string? Accession);

    public static Result Split(DicomDataset dataset)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var phi = new SortedDictionary<string, string[]>(StringComparer.Ordinal);
        var catalogue = Strip(dataset, "", phi);
        return new Result(catalogue, phi, dataset.GetString(DicomTags.PatientID), dataset.GetString(DicomTags.IssuerOfPatientID),
            dataset.GetString(DicomTags.AccessionNumber));
    }

    private static DicomDataset Strip(DicomDataset source, string path, SortedDictionary<string, string[]> phi)
    {
        var kept = new DicomDataset(source.CharacterSet, source.Count);
        foreach (var e in source)
        {
            var here = path + e.Tag.ToHex();
            if (e.Tag.IsPrivate || e.Tag.Group == 0x0002 || e.Tag.Group == 0x7FE0) continue;
            if (Identifying.Contains(e.Tag.Value) || e.ValueVR == DicomVR.PN)
            {
                Collect(e, here, phi);
                continue;
            }
            if (e is DicomSequence sq)
            {
                kept.Add(new DicomSequence(e.Tag, sq.Items.Select((item, i) => Strip(item, $"{here}[{i}]/", phi))));
                continue;
            }
            if (e is DicomFragmentSequence || e.BulkDataUri is not null || BinaryVRs.Contains(e.ValueVR)) continue;
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
