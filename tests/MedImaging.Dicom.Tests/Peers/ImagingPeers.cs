using System.Text;
using System.Text.Json;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>
/// Real images with the LUTs and colour models of PS3.3 C.11 and C.7.6.3, made by peers, not by us: dcmtk's dcmmklut
/// writes Modality and VOI LUT Sequences into pydicom's CT and MR images, dcmtk's dcmdjpeg (+cn) leaves YBR_FULL JPEGs
/// as native YBR_FULL, dcmodify sets VOI LUT Functions. Palette images are pydicom's 512×512 8-bit image with the
/// standard's well-known palettes (pydicom's palettes/ directory, four of them segmented), assembled with our writer.
/// </summary>
internal static class ImagingPeers
{
    public static bool Available => Corpus.HasPydicom && File.Exists("/usr/bin/dcmmklut") && File.Exists("/usr/bin/dcm2pnm")
        && File.Exists("/usr/bin/dcmdjpeg") && File.Exists("/usr/bin/dcmodify") && File.Exists("/usr/bin/dcmconv") && Directory.Exists("/usr/lib/python3/dist-packages/numpy");

    public static string PaletteDir => Path.Combine(Corpus.PydicomData, "palettes");

    private static readonly Lazy<string> Dir = new(Build);

    /// <summary>The path of a built file.</summary>
    public static string Get(string name) => Path.Combine(Dir.Value, name);

    private static string Build()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"medimaging-imaging-peers-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => { try { Directory.Delete(dir, true); } catch (IOException) { } };
        var ct = Corpus.Get("CT_small.dcm");   // signed 16-bit, rescale intercept -1024
        var mr = Corpus.Get("MR_small.dcm");   // signed 16-bit, window 600/1600
        // dcmmklut: +Tm Modality LUT (replaces rescale), +Tv VOI LUT; -b bits, -e entries, -f first mapped, -r shuffles.
        MkLut("ct_mlut16.dcm", ct, "+Tm", "-b", "16", "-e", "4096", "-f", "-2000", "+Cg", "2.2", "-r", "50");
        MkLut("ct_mlut8.dcm", ct, "+Tm", "-b", "8", "-e", "2048", "-f", "-1000", "+Cg", "0.8");           // 8-bit, one per byte
        MkLut("ct_mlut8w.dcm", ct, "+Tm", "-b", "8", "+a", "-e", "2048", "-f", "-1000", "+Cg", "0.8");    // 8-bit in 16-bit words
        MkLut("ct_mlut65536.dcm", ct, "+Tm", "-b", "16", "-e", "65536", "-f", "0", "+Cg", "1.8", "-r", "100"); // descriptor 0
        MkLut("mr_vlut16.dcm", mr, "+Tv", "-b", "16", "-e", "3000", "-f", "-200", "+Cg", "1.5", "-r", "20");
        MkLut("mr_vlut8.dcm", mr, "+Tv", "-b", "8", "-e", "1000", "-f", "0", "+Cg", "0.5");
        MkLut("mr_vlut8w.dcm", mr, "+Tv", "-b", "8", "+a", "-e", "1000", "-f", "0", "+Cg", "0.5");            // 8-bit in words
        MkLut("ct_vlut16.dcm", ct, "+Tv", "-b", "16", "-e", "2048", "-f", "-1024", "+Cg", "1.0");        // input is rescaled HU
        // The same Modality LUT with its descriptor written as US, as some writers do: -2000 then reads 63536 unless the
        // pixel representation decides (PS3.3 C.11.1.1.1).
        var us = DicomFile.Open(Path.Combine(dir, "ct_mlut16.dcm"));
        var item = us.Dataset.GetSequence(DicomTags.ModalityLUTSequence)[0];
        item.Add(new DicomElement(DicomTags.LUTDescriptor, DicomVR.US, item.GetElement(DicomTags.LUTDescriptor)!.Buffer));
        DicomWriter.Write(us, Path.Combine(dir, "ct_mlut16_us.dcm"));
        foreach (var (name, function) in new[] { ("mr_linear_exact.dcm", "LINEAR_EXACT"), ("mr_sigmoid.dcm", "SIGMOID") })
        {
            File.Copy(mr, Path.Combine(dir, name), true);
            Tool("/usr/bin/dcmodify", "-nb", "-i", $"(0028,1056)={function}", Path.Combine(dir, name));
        }
        // dcmdjpeg +cn: decompress without converting the colour model, so YBR_FULL stays YBR_FULL, now native.
        Tool("/usr/bin/dcmdjpeg", "+cn", Corpus.Get("SC_rgb_dcmtk_+eb+cy+n1.dcm"), Path.Combine(dir, "ybr_full.dcm"));
        Tool("/usr/bin/dcmdjpeg", "+cn", Corpus.Get("SC_rgb_small_odd_jpeg.dcm"), Path.Combine(dir, "ybr_full_odd.dcm"));
        BuildPalettes(dir);
        // The retired explicit VR big endian syntax swaps OW LUT data word by word, 8-bit tables packed two to a word too.
        Tool("/usr/bin/dcmconv", "+tb", Path.Combine(dir, "ct_mlut8.dcm"), Path.Combine(dir, "ct_mlut8_be.dcm"));
        Tool("/usr/bin/dcmconv", "+tb", Path.Combine(dir, "palette_hotiron.dcm"), Path.Combine(dir, "palette_hotiron_be.dcm"));
        return dir;

        void MkLut(string name, string input, params string[] args)
            => Tool("/usr/bin/dcmmklut", [.. args, "+Fi", input, Path.Combine(dir, name)]);
    }

    public static readonly string[] Palettes = ["hotiron", "pet", "hotmetalblue", "pet20step", "spring", "summer", "fall", "winter"];

    private static void BuildPalettes(string dir)
    {
        var image = DicomFile.Open(Corpus.Get("image_dfl.dcm")); // 512×512, 8 bits, MONOCHROME2
        foreach (var name in Palettes)
        {
            var palette = DicomFile.Open(Path.Combine(PaletteDir, name + ".dcm")).Dataset;
            var ds = image.Dataset.Clone();
            ds.Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "PALETTE COLOR");
            foreach (var e in palette.Where(e => e.Tag.Group == 0x0028 && e.Tag.Element is >= 0x1101 and <= 0x1103 or >= 0x1201 and <= 0x1203 or >= 0x1221 and <= 0x1223))
                ds.Add(e);
            DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), Path.Combine(dir, $"palette_{name}.dcm"));
        }
        // Hot Iron's 8-bit entries each in a 16-bit word (the PS3.3 C.7.6.3.1.6 note: value length tells them apart).
        var hot = DicomFile.Open(Path.Combine(dir, "palette_hotiron.dcm"));
        foreach (var tag in new uint[] { 0x00281201, 0x00281202, 0x00281203 })
        {
            var packed = hot.Dataset.GetElement(new DicomTag(tag))!.Buffer.Span;
            var words = new byte[packed.Length * 2];
            for (var i = 0; i < packed.Length; i++) words[2 * i] = packed[i];
            hot.Dataset.Add(new DicomElement(new DicomTag(tag), DicomVR.OW, words));
        }
        DicomWriter.Write(hot, Path.Combine(dir, "palette_hotiron_words.dcm"));
        // A 16-bit palette of 4096 entries on the signed CT image (first mapped value -1000, signed by the pixel
        // representation): Hot Iron stretched and scaled to 16 bits.
        var ct = DicomFile.Open(Corpus.Get("CT_small.dcm"));
        var hot8 = DicomFile.Open(Path.Combine(PaletteDir, "hotiron.dcm")).Dataset;
        var cds = ct.Dataset.Clone();
        cds.Remove(DicomTags.RescaleIntercept);
        cds.Remove(DicomTags.RescaleSlope);
        cds.Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "PALETTE COLOR");
        for (uint c = 0; c < 3; c++)
        {
            cds.Add(new DicomElement(new DicomTag(0x00281101 + c), DicomVR.SS, new byte[] { 0x00, 0x10, 0x18, 0xFC, 16, 0 })); // 4096\-1000\16
            var src = hot8.GetElement(new DicomTag(0x00281201 + c))!.Buffer.Span;
            var data = new byte[4096 * 2];
            for (var i = 0; i < 4096; i++) BitConverter.TryWriteBytes(data.AsSpan(2 * i), (ushort)(src[i * 256 / 4096] * 257 + i % 7));
            cds.Add(new DicomElement(new DicomTag(0x00281201 + c), DicomVR.OW, data));
        }
        DicomWriter.Write(new DicomFile(new DicomDataset(), cds, DicomTransferSyntax.ExplicitVRLittleEndian), Path.Combine(dir, "palette_ct16.dcm"));
        // 16-bit segmented data with an indirect segment (PS3.3 C.7.9.2.3): discrete [1000 2000], linear to 0 over 4,
        // discrete [5000], then 2 segments re-read from byte offset 8 (word 4: the linear one and the discrete [5000]).
        ushort[] segments = [0, 2, 1000, 2000, 1, 4, 0, 0, 1, 5000, 2, 2, 8, 0];
        var indirect = image.Dataset.Clone();
        indirect.Add(DicomTags.PhotometricInterpretation, DicomVR.CS, "PALETTE COLOR");
        for (uint c = 0; c < 3; c++)
        {
            indirect.Add(new DicomElement(new DicomTag(0x00281101 + c), DicomVR.US, new byte[] { 12, 0, 0, 0, 16, 0 })); // 12\0\16
            indirect.Add(new DicomElement(new DicomTag(0x00281221 + c), DicomVR.OW, segments.SelectMany(BitConverter.GetBytes).ToArray()));
        }
        DicomWriter.Write(new DicomFile(new DicomDataset(), indirect, DicomTransferSyntax.ExplicitVRLittleEndian), Path.Combine(dir, "palette_indirect.dcm"));
    }

    private static void Tool(string exe, params string[] args)
    {
        var (code, stdout, stderr) = Corpus.Run(exe, args);
        if (code != 0) throw new InvalidOperationException($"{exe} {string.Join(' ', args)} failed ({code}): {stdout}{stderr}");
    }

    /// <summary>pydicom's results for (mode, path) requests, in one python run.</summary>
    public static Dictionary<(string Mode, string Path), JsonElement> Pydicom(IEnumerable<(string Mode, string Path)> requests)
    {
        var list = requests.ToList();
        var script = Path.Combine(AppContext.BaseDirectory, "Peers", "pydicom_lut.py");
        var (code, stdout, stderr) = Corpus.Run(Corpus.Python, [script], string.Join('\n', list.Select(r => $"{r.Mode}\t{r.Path}")));
        if (code != 0) throw new InvalidOperationException(stderr);
        using var doc = JsonDocument.Parse(stdout);
        return list.ToDictionary(r => r, r => doc.RootElement.GetProperty($"{r.Mode}\t{r.Path}").Clone());
    }

    public static double[] Values(JsonElement result)
    {
        if (result.TryGetProperty("error", out var error)) throw new InvalidOperationException("pydicom: " + error.GetString());
        return [.. result.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())];
    }

    /// <summary>dcm2pnm's 8-bit output (PGM or PPM) for a file: the samples, row by row.</summary>
    public static byte[] Dcm2pnm(string path, params string[] options)
    {
        var output = Path.Combine(Dir.Value, $"{Path.GetFileName(path)}.{string.Join("", options).Replace("+", "p", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal)}.pnm");
        Tool("/usr/bin/dcm2pnm", [.. options, "+op", path, output]);
        return ReadPnm(File.ReadAllBytes(output));
    }

    private static byte[] ReadPnm(byte[] file)
    {
        // "P5|P6" width height maxval, whitespace separated, '#' comments, then one whitespace byte and the samples.
        var pos = 0;
        var fields = new List<string>();
        while (fields.Count < 4)
        {
            while (char.IsWhiteSpace((char)file[pos])) pos++;
            if (file[pos] == '#') { while (file[pos] != '\n') pos++; continue; }
            var start = pos;
            while (!char.IsWhiteSpace((char)file[pos])) pos++;
            fields.Add(Encoding.ASCII.GetString(file, start, pos - start));
        }
        if (fields[0] is not ("P5" or "P6") || fields[3] != "255") throw new InvalidOperationException($"unexpected PNM header {string.Join(' ', fields)}");
        return file[(pos + 1)..];
    }
}

/// <summary>A fact that needs pydicom (with numpy) and dcmtk's image tools.</summary>
public sealed class ImagingPeersFactAttribute : FactAttribute
{
    public ImagingPeersFactAttribute()
    {
        if (!ImagingPeers.Available) Skip = "pydicom corpus, python3-numpy or dcmtk (dcmmklut, dcm2pnm, dcmdjpeg, dcmodify, dcmconv) not installed (apt-get install -y python3-pydicom python3-numpy dcmtk)";
    }
}

/// <summary>A theory that needs pydicom (with numpy) and dcmtk's image tools.</summary>
public sealed class ImagingPeersTheoryAttribute : TheoryAttribute
{
    public ImagingPeersTheoryAttribute()
    {
        if (!ImagingPeers.Available) Skip = "pydicom corpus, python3-numpy or dcmtk (dcmmklut, dcm2pnm, dcmdjpeg, dcmodify, dcmconv) not installed (apt-get install -y python3-pydicom python3-numpy dcmtk)";
    }
}
