namespace Podium.Models.Onnx;

/// <summary>A module whose forward is code of its own: it writes what it computes in evaluation as ONNX nodes.</summary>
public interface IOnnxExportable
{
    /// <summary>Adds this module's nodes on <paramref name="input"/> to <paramref name="graph"/>; returns the output's name.</summary>
    string ToOnnx(OnnxGraph graph, string input);
}
