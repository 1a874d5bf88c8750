using System.Globalization;
using System.Text;
using MedImaging.Dicom;

namespace MedImaging.Dicom.Bench;

/// <summary>
/// Real-size instances as a PACS holds them, written with the library's own writer from real headers (pydicom's
/// CT_small.dcm and MR_small.dcm, GE and Siemens private groups included) with synthetic pixels: a 512×512 16-bit CT
/// series in implicit VR, 512×512 and 256×256 MR series in explicit VR with Siemens-sized CSA headers, and 512×512
/// 16-frame enhanced CT with per-frame functional groups. The peers' own larger test files are added as they are.
/// </summary>
internal static class RealSizeCorpus
{
    private const string Version = "1"; // bump when the generated content changes, so old corpora are rebuilt
    private const string Root = "1.2.826.0.1.3680043.2.1143.9012";

    /// <summary>The peers' larger test files (each over 100 KB): pydicom's, GDCM's and dicom3tools' examples.</summary>
    public static readonly string[] PeerFiles =
    [
        "/usr/lib/python3/dist-packages/pydicom/data/test_files/waveform_ecg.dcm",
        "/usr/lib/python3/dist-packages/pydicom/data/test_files/SC_rgb_jpeg_dcmd.dcm",
        "/usr/lib/python3/dist-packages/pydicom/data/test_files/J2K_pixelrep_mismatch.dcm",
        "/usr/share/doc/libgdcm3.0/examples/00191113.dcm",
        "/usr/share/doc/dicom3tools/examples/0051.dcm",
    ];

    public static List<string> Build(string dir, string pydicomTestFiles)
    {
        var marker = Path.Combine(dir, "corpus-version");
        if (!File.Exists(marker) || File.ReadAllText(marker) != Version)
        {
            Directory.CreateDirectory(dir);
            foreach (var old in Directory.EnumerateFiles(dir, "*.dcm")) File.Delete(old);
            var ct = DicomFile.Open(Path.Combine(pydicomTestFiles, "CT_small.dcm")).Dataset;
            var mr = DicomFile.Open(Path.Combine(pydicomTestFiles, "MR_small.dcm")).Dataset;
            WriteSeries(dir, "ct512", ct, 12, 512, LongPrivateBlock(), DicomTransferSyntax.ImplicitVRLittleEndian);
            WriteSeries(dir, "mr512", mr, 8, 512, SiemensCsa(12 * 1024, 48 * 1024), DicomTransferSyntax.ExplicitVRLittleEndian);
            WriteSeries(dir, "mr256", mr, 8, 256, SiemensCsa(9 * 1024, 36 * 1024), DicomTransferSyntax.ExplicitVRLittleEndian);
            for (var i = 0; i < 2; i++) WriteMultiFrame(dir, ct, i, 16);
            File.WriteAllText(marker, Version);
        }
        return [.. Directory.EnumerateFiles(dir, "*.dcm").Order(StringComparer.Ordinal), .. PeerFiles.Where(File.Exists)];
    }

    private static void WriteSeries(string dir, string name, DicomDataset header, int slices, int size, DicomElement[] privateGroup, DicomTransferSyntax ts)
    {
        for (var i = 0; i < slices; i++)
        {
            var ds = Image(header, $"{Root}.{name}", i, size, 1);
            foreach (var e in privateGroup) ds.Add(e);
            ds.Add(DicomTags.InstanceNumber, DicomVR.IS, (i + 1).ToString(CultureInfo.InvariantCulture));
            ds.Add(DicomTags.ImagePositionPatient, DicomVR.DS, "-170", "-170", F(-5.0 * i));
            ds.Add(DicomTags.SliceLocation, DicomVR.DS, F(-5.0 * i));
            DicomWriter.Write(new DicomFile(new DicomDataset(), ds, ts), Path.Combine(dir, $"{name}-{i:D2}.dcm"), ts);
        }
    }

    private static void WriteMultiFrame(string dir, DicomDataset header, int index, int frames)
    {
        var ds = Image(header, $"{Root}.mf", index, 512, frames);
        ds.Add(DicomTags.SOPClassUID, DicomVR.UI, "1.2.840.10008.5.1.4.1.1.2.1"); // Enhanced CT Image Storage
        ds.Add(DicomTags.NumberOfFrames, DicomVR.IS, frames.ToString(CultureInfo.InvariantCulture));
        ds.Remove(DicomTags.ImagePositionPatient);
        var shared = new DicomDataset();
        shared.Add(DicomTags.PixelMeasuresSequence, new DicomDataset()
            .Add(DicomTags.PixelSpacing, DicomVR.DS, "0.661468", "0.661468").Add(DicomTags.SliceThickness, DicomVR.DS, "5"));
        ds.Add(DicomTags.SharedFunctionalGroupsSequence, shared);
        var perFrame = new DicomDataset[frames];
        for (var f = 0; f < frames; f++)
        {
            perFrame[f] = new DicomDataset()
                .Add(DicomTags.FrameContentSequence, new DicomDataset().Add(DicomTags.InStackPositionNumber, DicomVR.UL, (f + 1).ToString(CultureInfo.InvariantCulture)))
                .Add(DicomTags.PlanePositionSequence, new DicomDataset().Add(DicomTags.ImagePositionPatient, DicomVR.DS, "-170", "-170", F(-5.0 * f)));
        }
        ds.Add(DicomTags.PerFrameFunctionalGroupsSequence, perFrame);
        foreach (var e in LongPrivateBlock()) ds.Add(e);
        DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), Path.Combine(dir, $"mf-{index:D2}.dcm"));
    }

    /// <summary>A copy of a real header with new UIDs and synthetic 16-bit pixels of the given size and frame count.</summary>
    private static DicomDataset Image(DicomDataset header, string uidPrefix, int index, int size, int frames)
    {
        var ds = header.Clone();
        ds.Remove(DicomTags.PixelData);
        ds.Add(DicomTags.SeriesInstanceUID, DicomVR.UI, uidPrefix);
        ds.Add(DicomTags.SOPInstanceUID, DicomVR.UI, $"{uidPrefix}.{index + 1}");
        var dim = size.ToString(CultureInfo.InvariantCulture);
        ds.Add(DicomTags.Rows, DicomVR.US, dim).Add(DicomTags.Columns, DicomVR.US, dim);
        ds.Add(DicomTags.BitsAllocated, DicomVR.US, "16").Add(DicomTags.BitsStored, DicomVR.US, "12").Add(DicomTags.HighBit, DicomVR.US, "11");
        ds.Add(new DicomElement(DicomTags.PixelData, DicomVR.OW, Pixels(size, frames, index)));
        return ds;
    }

    /// <summary>A disc phantom with noise, deterministic per instance.</summary>
    private static byte[] Pixels(int size, int frames, int seed)
    {
        var bytes = new byte[size * size * 2 * frames];
        var state = (uint)(seed * 2654435761 + 1);
        var r2 = size * size / 9;
        for (var i = 0; i < size * size * frames; i++)
        {
            state = state * 1664525 + 1013904223;
            int x = i % size - size / 2, y = i / size % size - size / 2;
            var v = (x * x + y * y < r2 ? 1040 : 24) + (int)(state >> 26);
            bytes[2 * i] = (byte)v;
            bytes[2 * i + 1] = (byte)(v >> 8);
        }
        return bytes;
    }

    /// <summary>A long private block of 160 small elements of mixed VRs, like the GE blocks CT_small.dcm already has
    /// (a creator no dictionary knows, so implicit VR readers all take them as UN).</summary>
    private static DicomElement[] LongPrivateBlock()
    {
        var list = new List<DicomElement> { Text(new DicomTag(0x0045, 0x0010), DicomVR.LO, "MEDIMAGING BENCH PARM") };
        for (var e = 0; e < 160; e++)
        {
            var tag = new DicomTag(0x0045, (ushort)(0x1000 + e));
            list.Add((e % 4) switch
            {
                0 => Text(tag, DicomVR.DS, F(e * 1.25)),
                1 => new DicomElement(tag, DicomVR.SS, BitConverter.GetBytes((short)e)),
                2 => Text(tag, DicomVR.LO, $"PARAM_{e:D3}"),
                _ => new DicomElement(tag, DicomVR.SL, BitConverter.GetBytes(e * 1000)),
            });
        }
        return [.. list];
    }

    /// <summary>Siemens-sized CSA image and series headers (0029,1010/1020): opaque OB blobs of protocol text.</summary>
    private static DicomElement[] SiemensCsa(int imageBytes, int seriesBytes) =>
    [
        Text(new DicomTag(0x0029, 0x0010), DicomVR.LO, "SIEMENS CSA HEADER"),
        Text(new DicomTag(0x0029, 0x1008), DicomVR.CS, "IMAGE NUM 4"),
        new DicomElement(new DicomTag(0x0029, 0x1010), DicomVR.OB, Protocol(imageBytes)),
        Text(new DicomTag(0x0029, 0x1018), DicomVR.CS, "MR"),
        new DicomElement(new DicomTag(0x0029, 0x1020), DicomVR.OB, Protocol(seriesBytes)),
    ];

    private static byte[] Protocol(int bytes)
    {
        var sb = new StringBuilder("SV10");
        for (var i = 0; sb.Length < bytes; i++) sb.Append(CultureInfo.InvariantCulture, $"sKSpaceData.lBaseResolution[{i}]\t = \t{256 + i % 7}\n");
        return Encoding.ASCII.GetBytes(sb.ToString(0, bytes));
    }

    private static DicomElement Text(DicomTag tag, DicomVR vr, string value)
    {
        var b = Encoding.ASCII.GetBytes(value.Length % 2 == 0 ? value : value + " ");
        return new DicomElement(tag, vr, b);
    }

    private static string F(double v) => v.ToString("0.######", CultureInfo.InvariantCulture);
}
