using System.ComponentModel;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>What every <c>podium runs</c> command takes: the store and the output format.</summary>
public class RunsSettings : StoreSettings
{
    [CommandOption("--format <FORMAT>")]
    [Description("table (default), json or csv")]
    public string Format { get; init; } = "table";

    public override Spectre.Console.ValidationResult Validate() => Format is "table" or "json" or "csv"
        ? Spectre.Console.ValidationResult.Success()
        : Spectre.Console.ValidationResult.Error($"--format {Format}: table, json or csv");
}
