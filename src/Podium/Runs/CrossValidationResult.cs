using System.Globalization;
using System.Text.Json.Nodes;
using Podium.Config;
using Podium.Data;
using Podium.Evaluation;
using Podium.Tracking;
using Podium.Training;

namespace Podium.Runs;

/// <summary>What podium cv measured: per fold, out of fold (all folds' validation predictions together), and the fold ensemble on
/// test.</summary>
public sealed record CrossValidationResult(string Metric, IReadOnlyList<FoldResult> Folds, double Oof, double Mean, double Std,
    string OofPath, string? TestPath, double? EnsembleTest, string? Submission);
