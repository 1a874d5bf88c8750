namespace MedImaging.Dicom.Tests;

/// <summary>Issue 9, item 3: MaxDepth is capped at 256 and nesting that deep is read and written on a 256 KB stack from
/// every source; empty input and input without "DICM" are clear errors.</summary>
public sealed class NestingAndInputTests
{
    private const int Limit = DicomReaderOptions.MaxDepthLimit;
    private static readonly DicomTag Nest = new(0x0040A730), Leaf = DicomTags.PatientID;

    [Fact]
    public void MaxDepthAboveTheCapIsRejectedWhenTheOptionsAreMade()
    {
        Assert.Equal(256, Limit);
        Assert.Equal(Limit, new DicomReaderOptions { MaxDepth = Limit }.MaxDepth);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new DicomReaderOptions { MaxDepth = Limit + 1 });
        Assert.Equal("value", ex.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomReaderOptions.Default with { MaxDepth = int.MaxValue });
        Assert.Throws<ArgumentOutOfRangeException>(() => DicomReaderOptions.Default with { MaxDepth = -1 });
    }

    [Fact]
    public void NestingAtTheCapIsReadAndWrittenOnA256KilobyteStackFromEverySource()
    {
        var file = Part10(Nested(Limit));
        var deflated = EverySource.DeflatedVariant(file, EverySource.MetaEnd(file))!.Value.File;
        var temp = Path.Combine(Path.GetTempPath(), $"nested-{Environment.ProcessId}.dcm");
        File.WriteAllBytes(temp, file);
        var options = new DicomReaderOptions { MaxDepth = Limit };
        var sources = new (string Name, Func<DicomReaderOptions, DicomFile> Read)[]
        {
            ("bytes", o => DicomFile.Open(file, o)),
            ("seekable stream", o => DicomFile.Open(new MemoryStream(file), o)),
            ("non-seekable stream", o => DicomFile.Open(new NonSeekableStream(file), o)),
            ("path", o => DicomFile.Open(temp, o)),
            ("deflated", o => DicomFile.Open(deflated, o)),
        };
        var results = new List<string>();
        try
        {
            OnSmallStack(() =>
            {
                foreach (var (name, read) in sources)
                {
                    var ds = read(options).Dataset;
                    Assert.Equal((Limit, "deepest"), DepthAndLeaf(ds));
                    // Every writer, at the cap, on the same small stack.
                    var json = DicomJsonWriter.Serialize(ds);
                    var xml = DicomXmlWriter.Serialize(ds);
                    var ms = new MemoryStream();
                    DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), ms);
                    Assert.Equal((Limit, "deepest"), DepthAndLeaf(DicomFile.Open(ms.ToArray(), options).Dataset));
                    Assert.Equal(Limit, CountNesting(json, "\"Value\":[{"));
                    Assert.Equal(Limit, CountNesting(xml, "<Item "));
                    // The default bound (64) refuses the same file, with the path down to where it stopped.
                    var ex = Assert.Throws<DicomReadException>(() => read(DicomReaderOptions.Default));
                    Assert.Contains("nest deeper than the configured bound 64", ex.Reason, StringComparison.Ordinal);
                    Assert.StartsWith("(0040,A730)[0]/(0040,A730)[0]", ex.TagPath, StringComparison.Ordinal);
                    results.Add(name);
                }
            });
        }
        finally { File.Delete(temp); }
        Assert.Equal(sources.Select(s => s.Name), results);
        // And the JSON comes back (on an ordinary stack).
        Assert.Equal((Limit, "deepest"), DepthAndLeaf(DicomJsonReader.Parse(DicomJsonWriter.Serialize(DicomFile.Open(file, options).Dataset))));
    }

    [Fact]
    public void OneLevelPastTheCapIsRefusedByTheReaderAndEveryWriter()
    {
        var options = new DicomReaderOptions { MaxDepth = Limit };
        var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(EverySourceTests.Nested(Limit + 1), options with { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian }));
        Assert.Contains("nest deeper than the configured bound 256", ex.Reason, StringComparison.Ordinal);
        // A dataset built in memory can nest deeper: the writers refuse it, on a small stack, rather than overflow.
        var deep = Nested(5_000);
        OnSmallStack(() =>
        {
            Assert.Throws<InvalidOperationException>(() => DicomJsonWriter.Serialize(deep));
            Assert.Throws<InvalidOperationException>(() => DicomXmlWriter.Serialize(deep));
            Assert.Throws<InvalidOperationException>(() => DicomWriter.WriteDataset(deep, new MemoryStream(), DicomTransferSyntax.ExplicitVRLittleEndian));
        });
    }

    [Fact]
    public void EmptyInputIsAnErrorFromEverySource()
    {
        var temp = Path.Combine(Path.GetTempPath(), $"empty-{Environment.ProcessId}.dcm");
        File.WriteAllBytes(temp, []);
        try
        {
            var reads = new Func<DicomFile>[]
            {
                () => DicomFile.Open([]), () => DicomFile.Open(new MemoryStream()), () => DicomFile.Open(new NonSeekableStream([])),
                () => DicomFile.Open(temp), () => DicomFile.Open([], new DicomReaderOptions { TransferSyntax = DicomTransferSyntax.ExplicitVRLittleEndian }),
            };
            foreach (var read in reads) Assert.Equal("The input is empty", Assert.Throws<DicomReadException>(read).Reason);
            Assert.Equal("The input is empty", Assert.Throws<DicomReadException>(() => DicomFile.ReadDataset(new MemoryStream(), DicomTransferSyntax.ImplicitVRLittleEndian)).Reason);
        }
        finally { File.Delete(temp); }
    }

    [Fact]
    public void InputWithoutDicmIsAnErrorUnlessATransferSyntaxIsGivenOrRawInputAccepted()
    {
        var file = Part10(Nested(2));
        var withoutPrefix = file[132..]; // the meta group and the dataset, no preamble and no "DICM"
        var dataset = file[EverySource.MetaEnd(file)..];
        foreach (var input in new[] { withoutPrefix, dataset, "not DICOM at all"u8.ToArray() })
        {
            var ex = Assert.Throws<DicomReadException>(() => DicomFile.Open(input));
            Assert.Contains("No 'DICM' prefix", ex.Reason, StringComparison.Ordinal);
            Assert.Throws<DicomReadException>(() => DicomFile.Open(new NonSeekableStream(input)));
        }
        Assert.Equal((2, "deepest"), DepthAndLeaf(DicomFile.ReadDataset(new MemoryStream(dataset), DicomTransferSyntax.ExplicitVRLittleEndian)));
        Assert.Equal((2, "deepest"), DepthAndLeaf(DicomFile.Open(dataset, new DicomReaderOptions { AcceptRawDataset = true }).Dataset));
        Assert.Equal((2, "deepest"), DepthAndLeaf(DicomFile.Open(withoutPrefix, new DicomReaderOptions { AcceptRawDataset = true }).Dataset));
        // With the prefix but no preamble (a writer that dropped it) the file is still Part-10.
        Assert.Equal((2, "deepest"), DepthAndLeaf(DicomFile.Open(file[128..]).Dataset));
    }

    internal static DicomDataset Nested(int depth)
    {
        var inner = new DicomDataset().Add(Leaf, "deepest");
        for (var i = 0; i < depth; i++) inner = new DicomDataset().Add(Nest, inner);
        return inner.Add(DicomTags.SOPClassUID, "1.2.840.10008.5.1.4.1.1.88.11").Add(DicomTags.SOPInstanceUID, "1.2.3.4.256");
    }

    private static byte[] Part10(DicomDataset ds)
    {
        var ms = new MemoryStream();
        OnSmallStack(() => DicomWriter.Write(new DicomFile(new DicomDataset(), ds, DicomTransferSyntax.ExplicitVRLittleEndian), ms));
        return ms.ToArray();
    }

    private static (int Depth, string? Leaf) DepthAndLeaf(DicomDataset ds)
    {
        var depth = 0;
        while (ds.GetElement(Nest) is DicomSequence { Items.Count: 1 } seq)
        {
            ds = seq.Items[0];
            depth++;
        }
        return (depth, ds.GetString(Leaf));
    }

    private static int CountNesting(string text, string marker)
    {
        var n = 0;
        for (var i = text.IndexOf(marker, StringComparison.Ordinal); i >= 0; i = text.IndexOf(marker, i + 1, StringComparison.Ordinal)) n++;
        return n;
    }

    /// <summary>Runs on a thread with a 256 KB stack; an exception (an assertion) is rethrown here. A stack overflow
    /// would end the test process: the test fails loudly either way.</summary>
    private static void OnSmallStack(Action action)
    {
        Exception? error = null;
        var t = new Thread(() =>
        {
            try { action(); }
            catch (Exception ex) { error = ex; }
        }, 256 * 1024);
        t.Start();
        t.Join();
        if (error is not null) System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
    }
}
