using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace MedImaging.Dicom.Tests.Peers;

/// <summary>Compares our element tree with pydicom's dump, element by element, and lists every difference.</summary>
internal static class PydicomComparer
{
    public static List<string> Compare(JsonElement pyElements, DicomDataset ours, string path)
    {
        var diffs = new List<string>();
        Compare(pyElements, ours, path, diffs);
        return diffs;
    }

    private static void Compare(JsonElement pyElements, DicomDataset ours, string path, List<string> diffs)
    {
        var seen = new HashSet<uint>();
        foreach (var py in pyElements.EnumerateArray())
        {
            var tag = DicomTag.Parse(py.GetProperty("t").GetString()!);
            seen.Add(tag.Value);
            var where = $"{path}/{tag}";
            var mine = ours.GetElement(tag);
            if (mine is null) { diffs.Add($"{where}: missing (pydicom has it)"); continue; }
            if (py.TryGetProperty("err", out _)) continue; // pydicom could not convert the value: nothing to compare against
            var pyVr = py.GetProperty("vr").GetString()!;
            if (!SameVR(pyVr, mine)) diffs.Add($"{where}: VR {mine.VR} but pydicom says {pyVr}");
            // Implicit VR private elements: pydicom takes the VR from its private dictionary, we keep UN (PS3.5 §6.2.2).
            // The bytes are the same; read them the way pydicom did to compare the values.
            if (mine.VR == DicomVR.UN && mine is not DicomSequence && DicomVR.TryParse(pyVr, out var pv) && pv != DicomVR.SQ)
                mine = new DicomElement(mine.Tag, pv, mine.Buffer, ours.CharacterSet);
            if (py.TryGetProperty("items", out var items))
            {
                // pydicom 2.3 turns a defined-length UN of a known SQ tag into a sequence (replace_un_with_known_vr);
                // PS3.5 §6.2.2 and dcmtk keep UN. Parse our UN bytes as the implicit VR sequence they hold to compare.
                if (mine.VR == DicomVR.UN && mine is not DicomSequence) mine = ParseUnAsSequence(mine);
                if (mine is not DicomSequence sq) { diffs.Add($"{where}: not a sequence here"); continue; }
                var pyItems = items.EnumerateArray().ToList();
                if (pyItems.Count != sq.Items.Count) { diffs.Add($"{where}: {sq.Items.Count} items, pydicom {pyItems.Count}"); continue; }
                for (var i = 0; i < pyItems.Count; i++) Compare(pyItems[i], sq.Items[i], $"{where}[{i}]", diffs);
            }
            else if (py.TryGetProperty("h", out var hash))
            {
                var sha = Sha1(RawBytes(mine, pyVr));
                if (sha != hash.GetString()) diffs.Add($"{where}: bytes differ ({mine.Length} bytes here, {py.GetProperty("len")} in pydicom)");
            }
            else if (py.TryGetProperty("s", out var strings))
            {
                var theirs = strings.EnumerateArray().Select(s => Norm(s.GetString()!)).ToList();
                var ourStrings = mine.VR.IsString || mine.VR == DicomVR.AT ? mine.GetStrings().Select(Norm).ToList() : [];
                while (theirs.Count > 0 && theirs[^1].Length == 0 && ourStrings.Count < theirs.Count) theirs.RemoveAt(theirs.Count - 1);
                if (!theirs.SequenceEqual(ourStrings))
                    diffs.Add($"{where}: [{string.Join("|", ourStrings)}] but pydicom [{string.Join("|", theirs)}]");
            }
            else if (py.TryGetProperty("n", out var numbers))
            {
                double[] ourNumbers;
                try { ourNumbers = mine.GetDoubles(); }
                catch (Exception ex) when (ex is FormatException or InvalidOperationException) { diffs.Add($"{where}: not numeric here"); continue; }
                var theirs = numbers.EnumerateArray().Where(n => n.ValueKind != JsonValueKind.Null).ToList();
                if (theirs.Count != ourNumbers.Length) { diffs.Add($"{where}: {ourNumbers.Length} numbers, pydicom {theirs.Count}"); continue; }
                for (var i = 0; i < theirs.Count; i++)
                {
                    var t = theirs[i].ValueKind == JsonValueKind.String ? double.Parse(theirs[i].GetString()!, CultureInfo.InvariantCulture) : theirs[i].GetDouble();
                    if (!(t == ourNumbers[i] || Math.Abs(t - ourNumbers[i]) <= 1e-9 * Math.Max(1, Math.Abs(t)) || (double.IsNaN(t) && double.IsNaN(ourNumbers[i]))))
                        diffs.Add($"{where}[{i}]: {ourNumbers[i]} but pydicom {t}");
                }
            }
        }
        foreach (var e in ours)
            if (!seen.Contains(e.Tag.Value)) diffs.Add($"{path}/{e.Tag}: present here, not in pydicom");
    }

    // pydicom 2.3 replaces UN by the dictionary VR when it knows the tag (config.replace_un_with_known_vr); PS3.5
    // keeps UN. Ambiguous dictionary VRs ("US or SS") are left unresolved by pydicom in some places.
    private static bool SameVR(string pyVr, DicomElement mine)
        => pyVr == mine.VR.ToString() || pyVr.Contains(mine.VR.ToString(), StringComparison.Ordinal)
            || (mine.VR == DicomVR.UN && (mine.Tag.IsPrivate || DicomDictionary.Default.Lookup(mine.Tag)?.AlternateVRs.Any(v => v.ToString() == pyVr) == true));

    // pydicom drops empty trailing PN groups ("A^B=" reads as "A^B"); the value is the same name (PS3.5 §6.2.1).
    private static string Norm(string s) => s.TrimEnd(' ', '\0').TrimEnd('=');

    private static DicomElement ParseUnAsSequence(DicomElement un)
    {
        var bytes = new byte[8 + un.Length];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes, un.Tag.Group);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), un.Tag.Element);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)un.Length);
        un.Buffer.Span.CopyTo(bytes.AsSpan(8));
        var ds = DicomFile.ReadDataset(new MemoryStream(bytes), DicomTransferSyntax.ImplicitVRLittleEndian);
        return ds.GetElement(un.Tag) ?? un;
    }

    /// <summary>The bytes pydicom holds for a binary value: encapsulated pixel data as items, like in the file.</summary>
    public static byte[] RawBytes(DicomElement e, string pyVr)
    {
        if (e is DicomFragmentSequence frags)
        {
            using var ms = new MemoryStream();
            void Item(ReadOnlySpan<byte> data)
            {
                Span<byte> h = stackalloc byte[8];
                BinaryPrimitives.WriteUInt32LittleEndian(h, 0xE000FFFE);
                BinaryPrimitives.WriteUInt32LittleEndian(h[4..], (uint)data.Length);
                ms.Write(h);
                ms.Write(data);
            }
            Item(frags.OffsetTable.Span);
            foreach (var f in frags.Fragments) Item(f.Buffer.Span);
            return ms.ToArray();
        }
        // pydicom keeps US/SS of unresolved VR as raw bytes.
        return e.Buffer.ToArray();
    }

    public static string Sha1(byte[] bytes) => Convert.ToHexStringLower(SHA1.HashData(bytes));
}
