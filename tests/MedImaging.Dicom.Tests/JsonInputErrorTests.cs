namespace MedImaging.Dicom.Tests;

/// <summary>Bad DICOM JSON from a caller fails with one exception type that names where it broke.</summary>
public sealed class JsonInputErrorTests
{
    [Theory]
    [InlineData("[1, 2]", "[0]")]
    [InlineData("\"text\"", "<top>")]
    [InlineData("""{"00100010": {"vr": "PN", "Value": [{"Alphabetic": 5}]}}""", "00100010")]
    [InlineData("""{"0020000D": {"vr": "UI", "Value": [true]}}""", "0020000D")]
    [InlineData("""{"00081199": {"vr": "SQ", "Value": [{"00081150": {"vr": "UI", "Value": [{}]}}]}}""", "00081199[0]/00081150")]
    [InlineData("""{"GGGGEEEE": {"vr": "LO", "Value": ["x"]}}""", "GGGGEEEE")]
    [InlineData("""{"00280010": {"vr": "US", "InlineBinary": "***"}}""", "00280010")]
    public void MalformedJsonNamesTheTagPath(string json, string path)
    {
        var ex = Assert.Throws<DicomReadException>(() => DicomJsonReader.ParseAll(json));
        Assert.Contains(path, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TextThatIsNotJsonIsADicomReadException()
    {
        var ex = Assert.Throws<DicomReadException>(() => DicomJsonReader.Parse("{\"00100010\": "));
        Assert.StartsWith("Not JSON", ex.Reason, StringComparison.Ordinal);
    }
}
