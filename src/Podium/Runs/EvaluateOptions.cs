using System.Text.Json;
using Podium.Config;
using Podium.Data;
using Podium.Models;
using Podium.Platform;
using Podium.Tracking;
using Podium.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Runs;

/// <summary>How to evaluate: test-time augmentation (a spec and its merge) and whether to tune per-class thresholds, for which
/// metric.</summary>
public sealed record EvaluateOptions(string? Tta = null, string TtaMerge = "mean", bool TuneThresholds = false, string? Metric = null);
