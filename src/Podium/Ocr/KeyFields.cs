namespace Podium.Ocr;

/// <summary>SROIE Task 3's key information of a receipt: the company, the date, the address and the total, as printed (empty when not
/// found).</summary>
public sealed record KeyFields(string Company, string Date, string Address, string Total)
{
    public static readonly string[] Names = ["company", "date", "address", "total"];

    public string this[string name] => name switch
    {
        "company" => Company,
        "date" => Date,
        "address" => Address,
        "total" => Total,
        _ => throw new ArgumentException($"no field '{name}'", nameof(name)),
    };

    /// <summary>SROIE's key file (key/NNN.json), a field left out read as empty.</summary>
    public static KeyFields Load(string path)
    {
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllBytes(path));
            string F(string name) => doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == System.Text.Json.JsonValueKind.String
                ? v.GetString()!.Trim() : "";
            return new KeyFields(F("company"), F("date"), F("address"), F("total"));
        }
        catch (System.Text.Json.JsonException e) { throw new PodiumException($"{path}: not valid JSON ({e.Message.Split('.')[0]})"); }
    }
}
