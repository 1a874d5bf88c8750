using System.Globalization;
using System.Numerics;
using MedImaging.Dicom;

namespace MedImaging.Ingest.Bench;

/// <summary>
/// Metadata-rich small CT instances written with the project's DICOM writer: 64×64 16-bit pixels, a Chinese patient
/// name (UTF-8), institution, accession, acquisition and geometry attributes; 4 series of 25 slices per study. Every
/// UID is fresh (2.25 UUID-derived), so each run stores new instances.
/// </summary>
public static class SyntheticStudies
{
    private const string CtImageStorage = "1.2.840.10008.5.1.4.1.1.2";
    private static readonly string[] Surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄"];
    private static readonly string[] Given = ["伟", "芳", "娜", "秀英", "敏", "静", "磊", "强"];
    private static readonly (string Description, string Body)[] Exams =
        [("胸部 CT 平扫 Chest CT", "CHEST"), ("头颅 CT 平扫 Head CT", "HEAD"), ("腹部 CT 增强 Abdomen CT", "ABDOMEN")];
    private static readonly string[] SeriesKinds = ["定位像 Scout", "平扫 5mm", "平扫 1mm 薄层", "骨窗 Bone"];

    public static List<byte[]> Generate(int instances, int seed)
    {
        var random = new Random(seed);
        var result = new List<byte[]>(instances);
        var pixels = new byte[64 * 64 * 2];
        for (var study = 0; result.Count < instances; study++)
        {
            var studyUid = Uid();
            var (description, body) = Exams[study % Exams.Length];
            var name = $"{Surnames[random.Next(Surnames.Length)]}{Given[random.Next(Given.Length)]}";
            var patientId = $"P{random.Next(10_000_000, 99_999_999)}";
            var date = new DateOnly(2024, 1, 1).AddDays(random.Next(365)).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
            for (var series = 0; series < SeriesKinds.Length && result.Count < instances; series++)
            {
                var seriesUid = Uid();
                for (var slice = 0; slice < 25 && result.Count < instances; slice++)
                {
                    random.NextBytes(pixels);
                    var ds = new DicomDataset(DicomCharacterSet.Utf8);
                    ds.Add(DicomTags.SpecificCharacterSet, DicomVR.CS, "ISO_IR 192");
                    ds.Add(DicomTags.ImageType, DicomVR.CS, "ORIGINAL", "PRIMARY", "AXIAL");
                    ds.Add(DicomTags.SOPClassUID, DicomVR.UI, CtImageStorage);
                    ds.Add(DicomTags.SOPInstanceUID, DicomVR.UI, Uid());
                    ds.Add(DicomTags.StudyDate, DicomVR.DA, date);
                    ds.Add(DicomTags.SeriesDate, DicomVR.DA, date);
                    ds.Add(DicomTags.StudyTime, DicomVR.TM, "093000");
                    ds.Add(DicomTags.AccessionNumber, DicomVR.SH, $"A{study:D6}{seed % 1000:D3}");
                    ds.Add(DicomTags.Modality, DicomVR.CS, "CT");
                    ds.Add(DicomTags.Manufacturer, DicomVR.LO, "MedImaging Synthetic");
                    ds.Add(DicomTags.InstitutionName, DicomVR.LO, "河北省人民医院");
                    ds.Add(DicomTags.ReferringPhysicianName, DicomVR.PN, "Li^Ming=李^明");
                    ds.Add(DicomTags.StudyDescription, DicomVR.LO, description);
                    ds.Add(DicomTags.SeriesDescription, DicomVR.LO, SeriesKinds[series]);
                    ds.Add(DicomTags.ManufacturerModelName, DicomVR.LO, "Bench CT 64");
                    ds.Add(DicomTags.PatientName, DicomVR.PN, $"Bench^{patientId}={name[..1]}^{name[1..]}");
                    ds.Add(DicomTags.PatientID, DicomVR.LO, patientId);
                    ds.Add(DicomTags.IssuerOfPatientID, DicomVR.LO, "HBPH");
                    ds.Add(DicomTags.PatientBirthDate, DicomVR.DA, $"19{random.Next(40, 99)}0{random.Next(1, 9)}1{random.Next(0, 9)}");
                    ds.Add(DicomTags.PatientSex, DicomVR.CS, random.Next(2) == 0 ? "M" : "F");
                    ds.Add(DicomTags.PatientAge, DicomVR.AS, $"0{random.Next(20, 85)}Y");
                    ds.Add(DicomTags.BodyPartExamined, DicomVR.CS, body);
                    ds.Add(DicomTags.SliceThickness, DicomVR.DS, series == 2 ? "1" : "5");
                    ds.Add(DicomTags.KVP, DicomVR.DS, "120");
                    ds.Add(DicomTags.XRayTubeCurrent, DicomVR.IS, "250");
                    ds.Add(DicomTags.ConvolutionKernel, DicomVR.SH, series == 3 ? "BONE" : "STANDARD");
                    ds.Add(DicomTags.PatientPosition, DicomVR.CS, "HFS");
                    ds.Add(DicomTags.StudyInstanceUID, DicomVR.UI, studyUid);
                    ds.Add(DicomTags.SeriesInstanceUID, DicomVR.UI, seriesUid);
                    ds.Add(DicomTags.StudyID, DicomVR.SH, (study + 1).ToString(CultureInfo.InvariantCulture));
                    ds.Add(DicomTags.SeriesNumber, DicomVR.IS, (series + 1).ToString(CultureInfo.InvariantCulture));
                    ds.Add(DicomTags.InstanceNumber, DicomVR.IS, (slice + 1).ToString(CultureInfo.InvariantCulture));
                    ds.Add(DicomTags.ImagePositionPatient, DicomVR.DS, "-160", "-160", (-slice * 5.0).ToString(CultureInfo.InvariantCulture));
                    ds.Add(DicomTags.ImageOrientationPatient, DicomVR.DS, "1", "0", "0", "0", "1", "0");
                    ds.Add(DicomTags.FrameOfReferenceUID, DicomVR.UI, studyUid + ".1");
                    ds.Add(DicomTags.SliceLocation, DicomVR.DS, (-slice * 5.0).ToString(CultureInfo.InvariantCulture));
                    ds.Add(DicomTags.SamplesPerPixel, DicomVR.US, "1");
                    ds.Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "MONOCHROME2");
                    ds.Add(DicomTags.Rows, DicomVR.US, "64");
                    ds.Add(DicomTags.Columns, DicomVR.US, "64");
                    ds.Add(DicomTags.PixelSpacing, DicomVR.DS, "0.5", "0.5");
                    ds.Add(DicomTags.BitsAllocated, DicomVR.US, "16");
                    ds.Add(DicomTags.BitsStored, DicomVR.US, "12");
                    ds.Add(DicomTags.HighBit, DicomVR.US, "11");
                    ds.Add(DicomTags.PixelRepresentation, DicomVR.US, "0");
                    ds.Add(DicomTags.WindowCenter, DicomVR.DS, "40");
                    ds.Add(DicomTags.WindowWidth, DicomVR.DS, "400");
                    ds.Add(DicomTags.RescaleIntercept, DicomVR.DS, "-1024");
                    ds.Add(DicomTags.RescaleSlope, DicomVR.DS, "1");
                    ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, (byte[])pixels.Clone()));
                    using var buffer = new MemoryStream();
                    DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), buffer);
                    result.Add(buffer.ToArray());
                }
            }
        }
        return result;
    }

    private static string Uid() => "2.25." + new BigInteger(Guid.NewGuid().ToByteArray(), isUnsigned: true).ToString(CultureInfo.InvariantCulture);
}
