namespace MedImaging.Dicom.Tests;

/// <summary>Structural equality of two datasets (tags, VRs, values), listing every difference.</summary>
internal static class DatasetAssert
{
    public static List<string> Differences(DicomDataset expected, DicomDataset actual, string path = "", bool vrMayBecomeUN = false)
    {
        var diffs = new List<string>();
        Compare(expected, actual, path, diffs, vrMayBecomeUN);
        return diffs;
    }

    private static void Compare(DicomDataset a, DicomDataset b, string path, List<string> diffs, bool lax)
    {
        var tagsA = a.Where(e => !e.Tag.IsGroupLength && e.Tag.Group != 2).Select(e => e.Tag).ToList();
        var tagsB = b.Where(e => !e.Tag.IsGroupLength && e.Tag.Group != 2).Select(e => e.Tag).ToList();
        if (!tagsA.SequenceEqual(tagsB))
        {
            diffs.Add($"{path}: tags differ: -[{string.Join(",", tagsA.Except(tagsB))}] +[{string.Join(",", tagsB.Except(tagsA))}]");
            return;
        }
        foreach (var tag in tagsA)
        {
            var x = a.GetElement(tag)!;
            var y = b.GetElement(tag)!;
            var where = $"{path}/{tag}";
            // Implicit VR loses the VR of private and unknown tags: they come back as UN or as the private dictionary says (PS3.5 §A.1).
            var vrOk = x.VR == y.VR || (lax && (y.VR == DicomVR.UN || x.VR == DicomVR.UN || tag.IsPrivate)) || (x.VR != DicomVR.UN && y.VR == DicomVR.UN && x.Length > 0xFFFE)
                // Encapsulated pixel data is always written OB (PS3.5 §A.4); implicit VR pixel data reads as OW (PS3.5 §A.1).
                || (x.VR == DicomVR.OW && x is DicomFragmentSequence) || (lax && tag == DicomTags.PixelData && y.VR == DicomVR.OW);
            if (!vrOk) diffs.Add($"{where}: VR {x.VR} became {y.VR}");
            if (x is DicomSequence sx)
            {
                if (y is not DicomSequence sy || sy.Items.Count != sx.Items.Count) { diffs.Add($"{where}: sequence changed"); continue; }
                for (var i = 0; i < sx.Items.Count; i++) Compare(sx.Items[i], sy.Items[i], $"{where}[{i}]", diffs, lax);
            }
            else if (x is DicomFragmentSequence fx)
            {
                if (y is not DicomFragmentSequence fy || fy.Fragments.Count != fx.Fragments.Count || !fx.OffsetTable.Span.SequenceEqual(fy.OffsetTable.Span))
                { diffs.Add($"{where}: fragments changed"); continue; }
                for (var i = 0; i < fx.Fragments.Count; i++)
                    if (!PadEqual(fx.Fragments[i].Buffer.Span, fy.Fragments[i].Buffer.Span)) diffs.Add($"{where} fragment {i} changed");
            }
            else if (x.VR.IsString && y.VR.IsString)
            {
                if (!x.GetStrings().SequenceEqual(y.GetStrings())) diffs.Add($"{where}: '{x.GetString()}' became '{y.GetString()}'");
            }
            else if (!PadEqual(x.Buffer.Span, y.Buffer.Span)) diffs.Add($"{where}: value bytes changed ({x.Length} -> {y.Length})");
        }
    }

    // Odd-length values gain one pad byte when written (PS3.5 §7.1.1); otherwise the bytes must be identical.
    private static bool PadEqual(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
        => a.SequenceEqual(b) || (b.Length == a.Length + 1 && a.Length % 2 == 1 && b[..a.Length].SequenceEqual(a));
}
