using System.Globalization;
using OpenCvSharp;
using Podium.Augment;
using Podium.Data;
using Podium.Tracking;
using static Podium.Tracking.ImageGrid;

namespace Podium.Evaluation;

/// <summary>One image's outcome: its truth, the predicted class and the probabilities of both.</summary>
public sealed record Outcome(int Index, int Truth, int Predicted, float PredictedProbability, float TruthProbability);
