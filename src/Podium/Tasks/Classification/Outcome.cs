using System.Globalization;
using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Tracking;
using static Podium.Reporting.ImageGrid;
using Podium.Reporting;

namespace Podium.Tasks.Classification;

/// <summary>One image's outcome: its truth, the predicted class and the probabilities of both.</summary>
public sealed record Outcome(int Index, int Truth, int Predicted, float PredictedProbability, float TruthProbability);
