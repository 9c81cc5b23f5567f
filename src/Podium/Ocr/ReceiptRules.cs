using System.Text.RegularExpressions;

namespace Podium.Ocr;

/// <summary>
/// Key fields of a receipt from its text lines in reading order, by rules on words and position (a first baseline for SROIE Task
/// 3): the company is the first of the top lines that names a business (SDN BHD, TRADING, ENTERPRISE, ...), else the top line
/// that is not a registration number; the address is the lines under the company up to the first telephone, tax or document line;
/// the date is the first date in any common form; the total is the largest amount on a line that says TOTAL (not a subtotal, a
/// quantity or a tax), else the largest amount on the receipt.
/// </summary>
public static partial class ReceiptRules
{
    public static KeyFields Extract(IReadOnlyList<string> lines)
    {
        var text = lines.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        int company = Company(text);
        // "SDN BHD" alone closes the name on the line above.
        if (company > 0 && Incorporated().Match(text[company]) is { Success: true, Index: 0 }) company--;
        var name = company >= 0 ? text[company] : "";
        // A name broken over two lines ends on the second: "... ENTERPRISE (SETIA" then "ALAM) SDN BHD".
        if (company >= 0 && company + 1 < text.Count && !Incorporated().IsMatch(name) && Incorporated().IsMatch(text[company + 1])
            && !Street().IsMatch(text[company + 1]))
            name += " " + text[++company];
        name = TrailingRegistration().Replace(name, "");
        return new KeyFields(name, Date(text), Address(text, company), Total(text));
    }

    /// <summary>The company's line: the first top line naming a business, else the nearest line above the first address-like line
    /// that is not a registration number, else the first line with letters.</summary>
    private static int Company(List<string> lines)
    {
        var top = Math.Min(lines.Count, 8);
        for (int i = 0; i < top; i++) if (Business().IsMatch(lines[i])) return i;
        var street = Enumerable.Range(0, top).FirstOrDefault(i => Street().IsMatch(lines[i]), -1);
        for (int i = street - 1; i >= 0; i--) if (!Registration().IsMatch(lines[i]) && lines[i].Count(char.IsLetter) >= 3) return i;
        for (int i = 0; i < top; i++) if (!Registration().IsMatch(lines[i]) && lines[i].Count(char.IsLetter) >= 3) return i;
        return -1;
    }

    private static string Address(List<string> lines, int company)
    {
        var parts = new List<string>();
        for (int i = company + 1; i < lines.Count && i <= company + 8 && parts.Count < 5; i++)
        {
            if (Registration().IsMatch(lines[i])) continue;
            // A registration or tax number between the name and the street is passed over; after the street, it ends the address.
            if (Contact().IsMatch(lines[i]) || DatePattern().IsMatch(lines[i]))
            {
                if (parts.Count == 0 && !Street().IsMatch(lines[i])) continue;
                break;
            }
            parts.Add(lines[i]);
        }
        return string.Join(' ', parts);
    }

    private static string Date(List<string> lines) =>
        lines.Select(l => DatePattern().Match(l)).FirstOrDefault(m => m.Success)?.Value ?? "";

    private static string Total(List<string> lines)
    {
        static IEnumerable<(decimal Value, string Number)> Amounts(string line) => Amount().Matches(line)
            .Select(m => (decimal.TryParse(m.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal),
                System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : -1,
                (m.Value.StartsWith('$') ? "$" : "") + m.Groups["n"].Value))
            .Where(a => a.Item1 >= 0);
        // A rounded total is what was paid; otherwise the largest labelled amount (totals with tax exceed those without).
        var rounded = lines.Where(l => Rounded().IsMatch(l) && !NotTotal().IsMatch(l)).SelectMany(Amounts).ToList();
        var labelled = lines.Where(l => TotalWord().IsMatch(l) && !NotTotal().IsMatch(l)).SelectMany(Amounts).ToList();
        var pool = rounded.Count > 0 ? rounded : labelled.Count > 0 ? labelled : [.. lines.SelectMany(Amounts)];
        return pool.Count == 0 ? "" : pool.MaxBy(a => a.Value).Number;
    }

    [GeneratedRegex(@"\b(SDN\.?\s*BH?D|BHD|BERHAD|ENTERPRISE|TRADING|S/B|RESTAURANT|RESTORAN|STORE|MART|HARDWARE|SUPERMARKET|" +
        @"MARKET|STATIONERY|HOLDINGS|CAFE|KEDAI|PHARMACY|BOOK|BAKERY|FOOD|CO\.?)\b", RegexOptions.IgnoreCase)]
    private static partial Regex Business();

    [GeneratedRegex(@"^\(?\s*(CO\.?\s*R[EF]G|COMPANY\s*(REG|NO)|ROC|\d{4,}\s*-?\s*[A-Z]\b|\d{5,}\)?$)|^\(?[A-Z]{0,3}\d{5,}[-A-Z\d]*\)?$",
        RegexOptions.IgnoreCase)]
    private static partial Regex Registration();

    [GeneratedRegex(@"\s*\((CO\.?\s*(NO|REG)\.?\s*:?\s*)?[A-Z]{0,3}\d{5,}-?[A-Z]?\)$", RegexOptions.IgnoreCase)]
    private static partial Regex TrailingRegistration();

    [GeneratedRegex(@"\b(JALAN|JLN|LOT|NO\.?\s?\d|TAMAN|TMN|LORONG|BLOCK|BLK|PERSIARAN|KAWASAN)\b|^\d+[A-Z]?,|\b\d{5}\s+[A-Z]",
        RegexOptions.IgnoreCase)]
    private static partial Regex Street();

    [GeneratedRegex(@"ROUND(ED|ING)?\s*(TOTAL|AMOUNT|AMT)|(TOTAL|AMOUNT|AMT).*ROUND(ED)?\b(?!ING)", RegexOptions.IgnoreCase)]
    private static partial Regex Rounded();

    [GeneratedRegex(@"\b(TEL|FAX|PHONE|H/P|GST|EMAIL|E-MAIL|INVOICE|RECEIPT|WEBSITE|WWW|DOC\w*|CASHIER|TAX|BILL|TABLE)\b|@|" +
        @"^\(?\d{2,3}[-\s]?\d{3,4}[-\s]?\d{4}\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Contact();

    // A time read without the space after the year ("25/12/20188:13") still leaves the date.
    [GeneratedRegex(@"(?<!\d)(\d{1,2}[/.-]\d{1,2}[/.-](\d{4}|\d{2}(?!\d))|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}\b|" +
        @"\d{1,2}[\s/-]?(JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Z]*[\s/-]?\d{2,4}\b)", RegexOptions.IgnoreCase)]
    private static partial Regex DatePattern();

    [GeneratedRegex(@"(RM\s?|\$)?(?<n>\d{1,3}(,\d{3})*\.\d{2}|\d+\.\d{2})(?![\d%])", RegexOptions.IgnoreCase)]
    private static partial Regex Amount();

    [GeneratedRegex(@"\b(SDN\.?\s*BH?D|BHD|BERHAD)\b\.?\)?$", RegexOptions.IgnoreCase)]
    private static partial Regex Incorporated();

    [GeneratedRegex(@"TOTAL|AMOUNT|NETT|JUMLAH", RegexOptions.IgnoreCase)]
    private static partial Regex TotalWord();

    [GeneratedRegex(@"SUB\s*-?\s*TOTAL|TOTAL\s*(QTY|QUANTITY|ITEM|SAVING|DISCOUNT|EXCL|GST|TAX)|GST|TAX|SAVING|CHANGE|TENDER|" +
        @"CASH|PAID|PAYMENT|" +
        @"RECEIVED|BALANCE|ROUNDING\s*ADJ|DISCOUNT|QTY",
        RegexOptions.IgnoreCase)]
    private static partial Regex NotTotal();
}
