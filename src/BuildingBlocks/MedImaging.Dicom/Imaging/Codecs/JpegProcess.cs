namespace MedImaging.Dicom.Codecs;

/// <summary>Reads the start-of-frame marker of an ITU T.81 stream to tell the lossless process (SOF3) from the DCT ones.</summary>
internal static class JpegProcess
{
    public static bool IsLossless(ReadOnlySpan<byte> data)
    {
        var pos = 2;
        if (data.Length < 4 || data[0] != 0xFF || data[1] != 0xD8) throw new DicomReadException("JPEG frame does not start with the SOI marker (FFD8).");
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF) { pos++; continue; } // tolerate stray bytes between segments, as libjpeg does
            var marker = data[pos + 1];
            if (marker == 0xFF) { pos++; continue; }    // fill bytes before a marker
            switch (marker)
            {
                case 0xC3: return true;
                case 0xC0 or 0xC1 or 0xC2: return false;
                case 0xC5 or 0xC6 or 0xC7 or 0xC9 or 0xCA or 0xCB or 0xCD or 0xCE or 0xCF:
                    throw new DicomReadException($"JPEG frame uses SOF marker FF{marker:X2} (hierarchical or arithmetic coding), which DICOM's JPEG transfer syntaxes do not use.");
            }
            pos += 2 + (data[pos + 2] << 8 | data[pos + 3]);
        }
        throw new DicomReadException("JPEG frame has no start-of-frame marker.");
    }
}
