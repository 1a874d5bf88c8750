namespace MedImaging.Dicom.Codecs;

/// <summary>
/// Chroma upsampling as libjpeg's default "fancy" (triangle-filter) upsampler does it (jdsample.c h2v1/h2v2), so that
/// 4:2:2 and 4:2:0 frames agree with dcmtk and GDCM; other factors replicate samples, as libjpeg does.
/// </summary>
internal static class JpegUpsampler
{
    /// <summary><paramref name="replicated"/> is full size with each chroma sample repeated hf x vf times.</summary>
    public static int[] Upsample(int[] replicated, int width, int height, int hf, int vf)
    {
        var cw = (width + hf - 1) / hf;
        var ch = (height + vf - 1) / vf;
        // libjpeg filters only 2x1 and 2x2 with more than two samples per row; everything else replicates.
        if (hf != 2 || vf is not (1 or 2) || cw <= 2) return replicated;
        var src = new int[cw * ch];
        for (var y = 0; y < ch; y++)
            for (var x = 0; x < cw; x++) src[y * cw + x] = replicated[y * vf * width + x * hf];
        var outW = cw * 2;
        var dst = new int[width * height];
        var line = new int[outW];
        for (var oy = 0; oy < height; oy++)
        {
            var y = oy / vf;
            if (vf == 1)
            {
                Row21(src.AsSpan(y * cw, cw), line);
            }
            else
            {
                // The nearer row has weight 3, the other 1; edge rows repeat (libjpeg's context rows).
                var other = oy % 2 == 0 ? Math.Max(0, y - 1) : Math.Min(ch - 1, y + 1);
                Row22(src.AsSpan(y * cw, cw), src.AsSpan(other * cw, cw), line);
            }
            line.AsSpan(0, width).CopyTo(dst.AsSpan(oy * width, width));
        }
        return dst;
    }

    private static void Row21(ReadOnlySpan<int> s, Span<int> o)
    {
        var n = s.Length;
        o[0] = s[0];
        o[1] = (s[0] * 3 + s[1] + 2) >> 2;
        for (var i = 1; i < n - 1; i++)
        {
            var v = s[i] * 3;
            o[2 * i] = (v + s[i - 1] + 1) >> 2;
            o[2 * i + 1] = (v + s[i + 1] + 2) >> 2;
        }
        o[2 * n - 2] = (s[n - 1] * 3 + s[n - 2] + 1) >> 2;
        o[2 * n - 1] = s[n - 1];
    }

    private static void Row22(ReadOnlySpan<int> near, ReadOnlySpan<int> far, Span<int> o)
    {
        var n = near.Length;
        int last, cur = near[0] * 3 + far[0], next = near[1] * 3 + far[1];
        o[0] = (cur * 4 + 8) >> 4;
        o[1] = (cur * 3 + next + 7) >> 4;
        for (var i = 1; i < n - 1; i++)
        {
            last = cur;
            cur = next;
            next = near[i + 1] * 3 + far[i + 1];
            o[2 * i] = (cur * 3 + last + 8) >> 4;
            o[2 * i + 1] = (cur * 3 + next + 7) >> 4;
        }
        last = cur;
        cur = next;
        o[2 * n - 2] = (cur * 3 + last + 8) >> 4;
        o[2 * n - 1] = (cur * 4 + 7) >> 4;
    }
}
