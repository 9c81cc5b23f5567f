using System.Globalization;
using Podium.Data;
using Podium.Models;
using Podium.Tracking;
using TorchSharp;
using static TorchSharp.torch;

namespace Podium.Evaluation;

/// <summary>One query's k nearest gallery images by cosine similarity, best first.</summary>
public sealed record Neighbours(int Query, int[] Gallery, float[] Similarity);
