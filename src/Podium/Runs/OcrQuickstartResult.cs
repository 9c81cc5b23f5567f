using Podium.Ocr;
using Podium.Tasks.Detection;

namespace Podium.Runs;

public sealed record OcrQuickstartResult(string Root, TrainOutcome Train, DetectionOutcome Validation, DetectionScore Test,
    string Detections, string Crops, int CropCount);
