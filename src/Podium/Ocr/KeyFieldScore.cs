namespace Podium.Ocr;

/// <summary>Key-field accuracy over receipts, per field: exact matches (SROIE Task 3's measure) and matches with case and spaces
/// set aside.</summary>
public sealed record KeyFieldScore(int Receipts, IReadOnlyDictionary<string, double> Exact, IReadOnlyDictionary<string, double> Loose)
{
    public static KeyFieldScore Of(IReadOnlyList<(KeyFields Truth, KeyFields Found)> receipts)
    {
        static string Plain(string s) => string.Concat(s.Where(c => !char.IsWhiteSpace(c))).ToUpperInvariant();
        double Share(Func<string, string, bool> equal, string field) =>
            receipts.Count == 0 ? 0 : receipts.Count(r => equal(r.Truth[field], r.Found[field])) / (double)receipts.Count;
        return new KeyFieldScore(receipts.Count,
            KeyFields.Names.ToDictionary(f => f, f => Share((a, b) => a == b, f)),
            KeyFields.Names.ToDictionary(f => f, f => Share((a, b) => Plain(a) == Plain(b), f)));
    }
}
