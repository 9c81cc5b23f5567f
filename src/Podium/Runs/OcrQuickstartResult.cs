using Podium.Ocr;
using Podium.Tasks.Detection;
using Podium.Tasks.Recognition;

namespace Podium.Runs;

public sealed record OcrQuickstartResult(string Root, TrainOutcome Train, DetectionOutcome Validation, DetectionScore Test,
    string Detections, string Crops, int CropCount, TrainOutcome Recognition, RecognitionOutcome RecognitionValidation,
    EndToEndScore Reading, string Readings);
