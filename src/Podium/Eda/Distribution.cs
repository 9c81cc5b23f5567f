namespace Podium.Eda;

public sealed record Distribution(int Count, double Min, double P5, double Median, double Mean, double P95, double Max)
{
    public static Distribution Of(IEnumerable<double> values)
    {
        var v = values.Where(double.IsFinite).Order().ToArray();
        if (v.Length == 0) return new Distribution(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        double Q(double q) => v[(int)Math.Round(q * (v.Length - 1))];
        return new Distribution(v.Length, v[0], Q(0.05), Q(0.5), v.Average(), Q(0.95), v[^1]);
    }
}
