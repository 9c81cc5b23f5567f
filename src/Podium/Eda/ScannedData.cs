using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using OpenCvSharp;
using Podium.Data;
using Podium.Tracking;

namespace Podium.Eda;

/// <summary>The scanned facts of a dataset (and optionally a test set) with what was left out of each.</summary>
public sealed record ScannedData(ImageDataset Train, IReadOnlyList<SkippedInput> Skipped, ImageFacts[] Facts,
    ImageDataset? Test, IReadOnlyList<SkippedInput> TestSkipped, ImageFacts[] TestFacts);
