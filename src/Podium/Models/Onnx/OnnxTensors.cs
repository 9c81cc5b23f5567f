using System.Runtime.InteropServices;
using Onnx;
using static TorchSharp.torch;

namespace Podium.Models.Onnx;

/// <summary>ONNX tensors (initializers, Constant values) as TorchSharp tensors: typed fields or little-endian raw bytes.</summary>
internal static class OnnxTensors
{
    public static Tensor Float(TensorProto t, string source)
    {
        float[] values = t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, float>(t.RawData.Span).ToArray() : [.. t.FloatData];
        return tensor(values, Dims(t, values.Length, source));
    }

    public static Tensor Integers(TensorProto t, string source)
    {
        long[] values = t.DataType == (int)TensorProto.Types.DataType.Int64
            ? t.RawData.Length > 0 ? MemoryMarshal.Cast<byte, long>(t.RawData.Span).ToArray() : [.. t.Int64Data]
            : t.RawData.Length > 0 ? [.. MemoryMarshal.Cast<byte, int>(t.RawData.Span).ToArray().Select(v => (long)v)]
                : [.. t.Int32Data.Select(v => (long)v)];
        return tensor(values, Dims(t, values.Length, source));
    }

    /// <summary>The tensor's shape, checked against the number of values it holds.</summary>
    private static long[] Dims(TensorProto t, int count, string source)
    {
        var dims = t.Dims.ToArray();
        if (count != dims.Aggregate(1L, (a, d) => a * d))
            throw new PodiumException($"{source}: initializer '{t.Name}' holds {count} values for its shape [{string.Join(",", dims)}]");
        return dims;
    }
}
