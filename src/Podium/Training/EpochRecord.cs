using System.Text.Json;
using System.Text.Json.Serialization;

namespace Podium.Training;

/// <summary>
/// One epoch, as logged to epochs.csv: the mean training loss, the task's validation metrics by column (val_NAME), its
/// time, the time the model waited for data, and resident memory. Written to JSON flat, one key per column.
/// </summary>
[JsonConverter(typeof(EpochRecordJson))]
public sealed record EpochRecord(int Epoch, double TrainLoss, IReadOnlyDictionary<string, double> Metrics, double Seconds,
    double DataWaitSeconds, double RssMb)
{
    /// <summary>A logged value by its epochs.csv column: train_loss or a val_ metric.</summary>
    public double Value(string column) => column == "train_loss" ? TrainLoss
        : Metrics.TryGetValue(column, out var v) ? v : throw new InvalidOperationException($"{column} was not computed");
}

/// <summary>An <see cref="EpochRecord"/> as flat JSON: {"epoch", "train_loss", val_..., "seconds", "data_wait_seconds",
/// "rss_mb"}.</summary>
internal sealed class EpochRecordJson : JsonConverter<EpochRecord>
{
    private static readonly string[] Fixed = ["epoch", "train_loss", "seconds", "data_wait_seconds", "rss_mb"];

    public override EpochRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var o = doc.RootElement;
        double D(string key) => o.TryGetProperty(key, out var v) ? Number(v) : double.NaN;
        var metrics = o.EnumerateObject().Where(p => !Fixed.Contains(p.Name)).ToDictionary(p => p.Name, p => Number(p.Value));
        return new EpochRecord(o.GetProperty("epoch").GetInt32(), D("train_loss"), metrics, D("seconds"), D("data_wait_seconds"),
            D("rss_mb"));
    }

    public override void Write(Utf8JsonWriter writer, EpochRecord value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteNumber("epoch", value.Epoch);
        Number(writer, "train_loss", value.TrainLoss);
        foreach (var (k, v) in value.Metrics) Number(writer, k, v);
        Number(writer, "seconds", value.Seconds);
        Number(writer, "data_wait_seconds", value.DataWaitSeconds);
        Number(writer, "rss_mb", value.RssMb);
        writer.WriteEndObject();
    }

    // JSON has no NaN: an epoch whose metric could not be computed writes null, read back as NaN.
    private static void Number(Utf8JsonWriter w, string key, double v)
    {
        if (double.IsFinite(v)) w.WriteNumber(key, v);
        else w.WriteNull(key);
    }

    private static double Number(JsonElement e) => e.ValueKind == JsonValueKind.Number ? e.GetDouble() : double.NaN;
}
