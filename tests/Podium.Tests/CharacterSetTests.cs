using Podium.Ocr;

namespace Podium.Tests;

/// <summary>Character sets from transcriptions or keys files: labels from 1 (0 is the blank), unknown characters counted.</summary>
public class CharacterSetTests
{
    [Fact]
    public void LabelsRoundTripAndUnknownCharactersAreCounted()
    {
        // "é" written as e + a combining accent is one character, as the precomposed one is.
        var set = CharacterSet.FromTexts(["TOTAL RM 9.90", "Caf\u0065\u0301 x2"]);
        Assert.Equal([" ", ".", "0", "2", "9", "A", "C", "L", "M", "O", "R", "T", "a", "e\u0301", "f", "x"], set.Characters);
        Assert.Equal(17, set.Classes);
        var unknown = new Dictionary<string, int>();
        var labels = set.Encode("TOTAL: RM 19.90!!", unknown);
        Assert.Equal("TOTAL RM 9.90", set.Decode(labels));
        Assert.Equal(new Dictionary<string, int> { [":"] = 1, ["1"] = 1, ["!"] = 2 }, unknown);
        Assert.DoesNotContain(0, labels);
    }

    [Fact]
    public void KeysFilesLoadWithTheSpaceAndBadOnesAreOneLine()
    {
        var keys = Path.Combine(Path.GetDirectoryName(OcrWeights.Recogniser)!, "ppocr_keys_v1.txt");
        var paddle = CharacterSet.Load(keys, space: true);
        Assert.Equal(6625, paddle.Classes); // PP-OCRv4's recogniser: blank, 6623 characters, space
        Assert.Equal(" ", paddle.Characters[^1]);
        var root = TestEnv.TempDir("charset");
        var bad = Path.Combine(root, "keys.txt");
        File.WriteAllLines(bad, ["a", "bc"]);
        Assert.Equal($"{bad}: line 2 holds 'bc', not one character", Assert.Throws<PodiumException>(() => CharacterSet.Load(bad)).Message);
        // A repeated character (PaddleOCR's loader allows them) keeps its labels: both read as it, it is written with the first.
        File.WriteAllLines(bad, ["a", "b", "a"]);
        var repeated = CharacterSet.Load(bad);
        Assert.Equal(4, repeated.Classes);
        Assert.Equal("aba", repeated.Decode([1, 2, 3]));
        Assert.Equal([1, 2, 1], repeated.Encode("aba", new Dictionary<string, int>()));
    }
}
