using System.Collections.Concurrent;
using OpenCvSharp;
using Podium.Config;
using Podium.Data;
using Podium.Tracking;

namespace Podium.Runs;

/// <summary>What an offline augmentation run wrote.</summary>
public sealed record OfflineResult(string Manifest, int Sources, int Copies, int Rows);
