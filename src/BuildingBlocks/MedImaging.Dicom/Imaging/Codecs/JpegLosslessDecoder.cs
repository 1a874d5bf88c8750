namespace MedImaging.Dicom.Codecs;

/// <summary>
/// JPEG lossless, non-hierarchical, Huffman (ITU T.81 Annex H, process 14; DICOM 1.2.840.10008.1.2.4.57 and .70),
/// 2 to 16 bits, predictors 1–7, point transform, restart intervals, interleaved or one scan per component.
/// Our own because JpegLibrary 0.4.32's lossless path stores samples as signed 16-bit (so predictors 5–7 go wrong above
/// 32767) and predicts the first line with the selected predictor instead of Ra (ADR 0013).
/// </summary>
internal static class JpegLosslessDecoder
{
    private sealed class Component
    {
        public int Id;
        public int H;
        public int V;
        public int[] Samples = [];
    }

    public static byte[] Decode(byte[] data, DicomPixelData px)
    {
        var tables = new JpegHuffmanTable?[4];
        Component[]? comps = null;
        int precision = 0, width = 0, height = 0, restart = 0;
        var pos = 2;
        var scans = 0;
        while (pos + 4 <= data.Length)
        {
            if (data[pos] != 0xFF || data[pos + 1] is 0xFF or 0x00) { pos++; continue; }
            var marker = data[pos + 1];
            if (marker == 0xD9) break;
            if (marker is >= 0xD0 and <= 0xD8) { pos += 2; continue; }
            var length = data[pos + 2] << 8 | data[pos + 3];
            var seg = pos + 4;
            var end = pos + 2 + length;
            if (length < 2 || end > data.Length) throw Bad($"segment FF{marker:X2} of length {length} runs past the frame's {data.Length} bytes", pos);
            switch (marker)
            {
                case 0xC3:
                    precision = data[seg];
                    height = data[seg + 1] << 8 | data[seg + 2];
                    width = data[seg + 3] << 8 | data[seg + 4];
                    var n = data[seg + 5];
                    if (precision is < 2 or > 16 || width == 0 || height == 0 || n == 0 || length < 8 + 3 * n)
                        throw Bad($"SOF3 says {width}x{height}, {n} components of {precision} bits", pos);
                    FrameWriter.Check(px, "JPEG lossless", width, height, n, precision);
                    comps = new Component[n];
                    for (var i = 0; i < n; i++)
                    {
                        comps[i] = new Component { Id = data[seg + 6 + 3 * i], H = data[seg + 7 + 3 * i] >> 4, V = data[seg + 7 + 3 * i] & 15, Samples = new int[width * height] };
                        if (comps[i].H != 1 || comps[i].V != 1) throw Bad($"component {comps[i].Id} is subsampled ({comps[i].H}x{comps[i].V}), which DICOM lossless JPEG does not use", pos);
                    }
                    break;
                case 0xC4:
                    for (var p = seg; p < end;) p = JpegHuffmanTable.Read(data, p, end, tables);
                    break;
                case 0xDD:
                    restart = data[seg] << 8 | data[seg + 1];
                    break;
                case 0xDA:
                    if (comps is null) throw Bad("SOS comes before SOF3", pos);
                    pos = DecodeScan(data, seg, end, comps, tables, precision, width, height, restart);
                    scans++;
                    continue;
                case 0xDC:
                    throw Bad("a DNL marker (number of lines defined after the scan) is not supported", pos);
            }
            pos = end;
        }
        if (comps is null || scans == 0) throw Bad("no SOF3 frame or no scan", 0);
        var frame = FrameWriter.Allocate(px);
        for (var c = 0; c < comps.Length; c++)
        {
            var s = comps[c].Samples;
            for (var i = 0; i < s.Length; i++) FrameWriter.Set(frame, px.BitsAllocated, (long)i * comps.Length + c, s[i]);
        }
        return frame;
    }

    private static int DecodeScan(byte[] data, int seg, int end, Component[] comps, JpegHuffmanTable?[] tables, int precision, int width, int height, int restart)
    {
        var ns = data[seg];
        if (ns == 0 || end - seg < 4 + 2 * ns) throw Bad($"SOS with {ns} components is malformed", seg);
        var scanComps = new Component[ns];
        var scanTables = new JpegHuffmanTable[ns];
        for (var i = 0; i < ns; i++)
        {
            var id = data[seg + 1 + 2 * i];
            scanComps[i] = Array.Find(comps, c => c.Id == id) ?? throw Bad($"SOS names component {id}, not in SOF3", seg);
            scanTables[i] = tables[(data[seg + 2 + 2 * i] >> 4) & 3] ?? throw Bad($"SOS uses Huffman table {data[seg + 2 + 2 * i] >> 4}, not defined", seg);
        }
        var predictor = data[seg + 1 + 2 * ns];
        var pt = data[seg + 3 + 2 * ns] & 15;
        if (predictor > 7 || pt >= precision) throw Bad($"SOS predictor {predictor} or point transform {pt} out of range", seg);
        if (restart > 0 && restart % width != 0)
            throw Bad($"restart interval {restart} is not a whole number of lines of {width} samples", seg);
        var reader = new JpegBitReader(data, end);
        var initial = 1 << (precision - pt - 1);
        var firstLine = true;
        var mcus = 0;
        for (var y = 0; y < height; y++)
        {
            if (restart > 0 && mcus > 0 && mcus % restart == 0)
            {
                reader.Restart();
                firstLine = true; // H.1.2.1: a restart interval starts like the scan's first line
            }
            var row = y * width;
            // An interleaved MCU is one sample of each scan component, in scan order.
            for (var x = 0; x < width; x++)
                for (var c = 0; c < ns; c++)
                {
                    var s = scanComps[c].Samples;
                    int px;
                    if (firstLine) px = x == 0 ? initial : s[row + x - 1];
                    else if (x == 0) px = s[row - width];
                    else
                    {
                        int ra = s[row + x - 1], rb = s[row - width + x], rc = s[row - width + x - 1];
                        px = predictor switch
                        {
                            1 => ra,
                            2 => rb,
                            3 => rc,
                            4 => ra + rb - rc,
                            5 => ra + ((rb - rc) >> 1),
                            6 => rb + ((ra - rc) >> 1),
                            7 => (ra + rb) >> 1,
                            _ => 0,
                        };
                    }
                    // Differences are modulo 2^16 (H.1.2.2), samples unsigned: int arithmetic keeps predictors 5–7 right.
                    s[row + x] = (px + reader.ReadDifference(scanTables[c])) & 0xFFFF;
                }
            firstLine = false;
            mcus += width;
        }
        if (pt > 0) foreach (var c in scanComps) for (var i = 0; i < c.Samples.Length; i++) c.Samples[i] <<= pt;
        return reader.NextMarker();
    }

    private static DicomReadException Bad(string what, int offset) => new($"JPEG lossless frame: {what} (byte {offset} of the frame).");
}
