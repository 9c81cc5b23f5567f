using Onnx;
using Podium.Platform;
using TorchSharp;
using static TorchSharp.torch;
using F = TorchSharp.torch.nn.functional;

namespace Podium.Models.Onnx;

/// <summary>
/// ONNX operators as TorchSharp operations, with ONNX's attribute defaults (the operator specification, opset 7 onwards).
/// Inputs an operator leaves out are null.
/// </summary>
internal static class OnnxOperators
{
    /// <summary>What every operator may need beyond its node: the model's opset and whether the network trains.</summary>
    public sealed record Context(long Opset, bool Training);

    private delegate Tensor[] Operator(NodeProto node, Tensor?[] x, Context c);

    private static readonly Dictionary<string, Operator> Table = new(StringComparer.Ordinal)
    {
        ["Conv"] = (n, x, _) => [Conv(n, x)],
        ["BatchNormalization"] = (n, x, c) => [BatchNorm(n, x, c)],
        ["Relu"] = (_, x, _) => [F.relu(x[0]!)],
        ["Sigmoid"] = (_, x, _) => [x[0]!.sigmoid()],
        ["HardSigmoid"] = (n, x, _) => [x[0]!.Times(Float(n, "alpha", 0.2f)).Plus(Float(n, "beta", 0.5f)).Clamp(0, 1)],
        ["HardSwish"] = (_, x, _) => [F.hardswish(x[0]!)],
        ["Clip"] = (n, x, c) => [Clip(n, x, c)],
        ["Add"] = (_, x, _) => [x[0]!.Plus(x[1]!)],
        ["Sub"] = (_, x, _) => [x[0]! - x[1]!],
        ["Mul"] = (_, x, _) => [x[0]! * x[1]!],
        ["Div"] = (_, x, _) => [x[0]! / x[1]!],
        ["Pow"] = (_, x, _) => [x[0]!.pow(x[1]!)],
        ["Sqrt"] = (_, x, _) => [x[0]!.sqrt()],
        ["Identity"] = (_, x, _) => [x[0]!],
        ["Dropout"] = (_, x, _) => [x[0]!], // inference graphs: training dropout is the config's, not the file's
        ["MaxPool"] = (n, x, _) => [Pool(n, x[0]!, max: true)],
        ["AveragePool"] = (n, x, _) => [Pool(n, x[0]!, max: false)],
        ["GlobalAveragePool"] = (_, x, _) => [x[0]!.mean([2, 3], keepdim: true)],
        ["Flatten"] = (n, x, _) => [Flatten(x[0]!, (int)Int(n, "axis", 1))],
        ["Reshape"] = (_, x, _) => [Reshape(x[0]!, x[1]!.cpu().data<long>().ToArray())],
        ["Transpose"] = (n, x, _) => [x[0]!.permute(Ints(n, "perm") ?? [.. Enumerable.Range(0, (int)x[0]!.dim()).Reverse()
            .Select(i => (long)i)])],
        ["Concat"] = (n, x, _) => [cat([.. x.Select(t => t!)], Int(n, "axis", 0))],
        ["Gemm"] = (n, x, _) => [Gemm(n, x)],
        ["MatMul"] = (_, x, _) => [x[0]!.matmul(x[1]!)],
        ["Softmax"] = (n, x, c) => [Softmax(n, x[0]!, c)],
        ["ReduceMean"] = (n, x, _) => [ReduceMean(n, x)],
        ["Constant"] = (n, _, _) => [Constant(n)],
        ["ConvTranspose"] = (n, x, _) => [ConvTranspose(n, x)],
        ["Resize"] = (n, x, c) => [Resize(n, x, c)],
        ["Upsample"] = (n, x, c) => [Resize(n, x, c)],
        ["Shape"] = (_, x, _) => [tensor(x[0]!.shape)],
        ["Cast"] = (n, x, _) => [Cast(n, x[0]!)],
        ["Slice"] = (n, x, c) => [Slice(n, x, c)],
        ["Squeeze"] = (n, x, c) => [Squeeze(n, x, c)],
        ["Unsqueeze"] = (n, x, c) => [Unsqueeze(n, x, c)],
        ["Gather"] = (n, x, _) => [Gather(n, x)],
    };

    /// <summary>The operators imported, by their ONNX names.</summary>
    public static IEnumerable<string> Names => Table.Keys.Order(StringComparer.Ordinal);

    public static bool Supports(string opType) => Table.ContainsKey(opType);

    /// <summary>Whether an operator's input is a setting (Clip's bounds, Pow's exponent, a shape or axes), not a weight to
    /// train.</summary>
    public static bool IsSetting(string opType, int input) => input > 0 && opType is "Clip" or "Pow" or "Reshape" or "ReduceMean"
        or "Resize" or "Upsample" or "Slice" or "Squeeze" or "Unsqueeze";

    public static Tensor[] Run(NodeProto node, Tensor?[] inputs, Context context, string source)
    {
        try { return Table[node.OpType](node, inputs, context); }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException
            or System.Runtime.InteropServices.ExternalException)
        {
            throw new PodiumException($"{source}: node '{node.Name}' ({node.OpType}) failed: {e.Message.Split('\n')[0]}");
        }
    }

    private static AttributeProto? Attribute(NodeProto n, string name) => n.Attribute.FirstOrDefault(a => a.Name == name);

    private static long Int(NodeProto n, string name, long fallback) => Attribute(n, name) is { } a ? a.I : fallback;

    private static float Float(NodeProto n, string name, float fallback) => Attribute(n, name) is { } a ? a.F : fallback;

    private static long[]? Ints(NodeProto n, string name) => Attribute(n, name) is { } a ? [.. a.Ints] : null;

    /// <summary>ONNX pads [begin_1, begin_2, end_1, end_2] as one symmetric padding, or an explicit pad first.</summary>
    private static (Tensor X, long[] Padding) Pads(NodeProto n, Tensor x, double value)
    {
        var autoPad = Attribute(n, "auto_pad")?.S.ToStringUtf8() ?? "NOTSET";
        if (autoPad is not ("NOTSET" or "VALID"))
            throw new PodiumException($"node '{n.Name}' ({n.OpType}): auto_pad {autoPad} is not imported; export with explicit pads");
        var pads = autoPad == "VALID" ? null : Ints(n, "pads");
        if (pads is null) return (x, [0, 0]);
        if (pads[0] == pads[2] && pads[1] == pads[3]) return (x, [pads[0], pads[1]]);
        // torch's pad lists the last dimension first: left, right, top, bottom.
        return (F.pad(x, [pads[1], pads[3], pads[0], pads[2]], value: value), [0, 0]);
    }

    private static Tensor Conv(NodeProto n, Tensor?[] x)
    {
        var (input, padding) = Pads(n, x[0]!, 0);
        return F.conv2d(input, x[1]!, x.Length > 2 ? x[2] : null, strides: Ints(n, "strides") ?? [1, 1], padding: padding,
            dilation: Ints(n, "dilations") ?? [1, 1], groups: Int(n, "group", 1));
    }

    private static Tensor BatchNorm(NodeProto n, Tensor?[] x, Context c) =>
        // ONNX's momentum weighs the old running value (0.9); PyTorch's weighs the new batch (0.1). A frozen one (its scale
        // not trained) keeps and uses its running statistics, as FreezeSchedule keeps Podium's own.
        F.batch_norm(x[0]!, x[3]!, x[4]!, x[1]!, x[2]!, c.Training && x[1]!.requires_grad, 1 - Float(n, "momentum", 0.9f),
            Float(n, "epsilon", 1e-5f));

    private static Tensor ConvTranspose(NodeProto n, Tensor?[] x)
    {
        if (Attribute(n, "output_shape") is not null
            || Attribute(n, "auto_pad") is { } a && a.S.ToStringUtf8() is not ("NOTSET" or "VALID"))
            throw new PodiumException($"node '{n.Name}' (ConvTranspose): output_shape and auto_pad are not imported; export with pads");
        var pads = Ints(n, "pads") ?? [0, 0, 0, 0];
        if (pads[0] != pads[2] || pads[1] != pads[3])
            throw new PodiumException($"node '{n.Name}' (ConvTranspose): uneven pads [{string.Join(",", pads)}] are not imported");
        return F.conv_transpose2d(x[0]!, x[1]!, x.Length > 2 ? x[2] : null, strides: Ints(n, "strides") ?? [1, 1],
            padding: [pads[0], pads[1]], output_padding: Ints(n, "output_padding") ?? [0, 0], groups: Int(n, "group", 1),
            dilation: Ints(n, "dilations") ?? [1, 1]);
    }

    /// <summary>Resize (opset 10 on) and Upsample (before): nearest with ONNX's asymmetric floor sampling (PyTorch's nearest), or
    /// linear with half-pixel centres or aligned corners (PyTorch's bilinear); other samplings are one line.</summary>
    private static Tensor Resize(NodeProto n, Tensor?[] x, Context c)
    {
        var input = x[0]!;
        var mode = Attribute(n, "mode")?.S.ToStringUtf8() ?? "nearest";
        string transform = n.OpType == "Upsample" || c.Opset < 11 ? "asymmetric"
            : Attribute(n, "coordinate_transformation_mode")?.S.ToStringUtf8() ?? "half_pixel";
        var nearest = Attribute(n, "nearest_mode")?.S.ToStringUtf8() ?? "round_prefer_floor";
        // Scales: Upsample 7's attribute, else the input after X (opset 10) or after roi (opset 11 on); sizes: the last input.
        int scalesInput = n.OpType == "Upsample" || c.Opset < 11 ? 1 : 2;
        float[]? scales = n.OpType == "Upsample" && Attribute(n, "scales") is { } attr ? [.. attr.Floats]
            : x.Length > scalesInput && x[scalesInput] is { } st && st.numel() > 0 ? st.cpu().data<float>().ToArray() : null;
        long[]? sizes = x.Length > 3 && x[3] is { } sz && sz.numel() > 0 ? sz.cpu().data<long>().ToArray() : null;
        if (scales is not null && (scales.Length != 4 || scales[0] != 1 || scales[1] != 1) || sizes is not null && sizes.Length != 4)
            throw new PodiumException($"node '{n.Name}' ({n.OpType}): only the height and width of N×C×H×W images are resized");
        long[] size = sizes is not null ? [sizes[2], sizes[3]]
            : [(long)Math.Floor(input.shape[2] * scales![2]), (long)Math.Floor(input.shape[3] * scales[3])];
        if (mode == "nearest" && transform == "asymmetric" && (nearest == "floor" || n.OpType == "Upsample" || c.Opset < 11))
            return F.interpolate(input, size, mode: InterpolationMode.Nearest);
        if (mode is "linear" or "bilinear" && transform is "half_pixel" or "pytorch_half_pixel" or "align_corners")
            return F.interpolate(input, size, mode: InterpolationMode.Bilinear, align_corners: transform == "align_corners");
        throw new PodiumException($"node '{n.Name}' ({n.OpType}): mode {mode} with coordinate_transformation_mode {transform}" +
            (mode == "nearest" ? $" and nearest_mode {nearest}" : "") + " is not imported");
    }

    private static Tensor Clip(NodeProto n, Tensor?[] x, Context c)
    {
        // Opset 11 moved the bounds from attributes to inputs.
        double? Bound(int input, string attribute) => c.Opset >= 11
            ? x.Length > input && x[input] is { } t ? t.item<float>() : null
            : Attribute(n, attribute) is { } a ? a.F : null;
        var (low, high) = (Bound(1, "min"), Bound(2, "max"));
        // Scalars disposed after the call, never temporaries (see Platform.Scalars).
        using var lo = low?.ToScalar();
        using var hi = high?.ToScalar();
        return x[0]!.clamp(lo, hi);
    }

    private static Tensor Pool(NodeProto n, Tensor x, bool max)
    {
        var kernel = Ints(n, "kernel_shape") ?? throw new PodiumException($"node '{n.Name}' ({n.OpType}): no kernel_shape");
        var (input, padding) = Pads(n, x, max ? double.NegativeInfinity : 0);
        var strides = Ints(n, "strides") ?? [1, 1];
        bool ceil = Int(n, "ceil_mode", 0) == 1;
        return max
            ? F.max_pool2d(input, kernel, strides, padding, Ints(n, "dilations") ?? [1, 1], ceil)
            : F.avg_pool2d(input, kernel, strides, padding, ceil, count_include_pad: Int(n, "count_include_pad", 0) == 1);
    }

    private static Tensor Flatten(Tensor x, int axis)
    {
        if (axis < 0) axis += (int)x.dim();
        long outer = x.shape.Take(axis).Aggregate(1L, (a, d) => a * d);
        return x.reshape(outer, -1);
    }

    /// <summary>ONNX's Reshape: 0 keeps that dimension of the input (allowzero 0, the default), -1 is inferred.</summary>
    private static Tensor Reshape(Tensor x, long[] shape) =>
        x.reshape([.. shape.Select((d, i) => d == 0 && i < x.dim() ? x.shape[i] : d)]);

    private static Tensor Gemm(NodeProto n, Tensor?[] x)
    {
        var a = Int(n, "transA", 0) == 1 ? x[0]!.t() : x[0]!;
        var b = Int(n, "transB", 0) == 1 ? x[1]!.t() : x[1]!;
        var y = a.matmul(b).Times(Float(n, "alpha", 1f));
        return x.Length > 2 && x[2] is { } bias ? y.Plus(bias.Times(Float(n, "beta", 1f))) : y;
    }

    private static Tensor ReduceMean(NodeProto n, Tensor?[] x)
    {
        // Opset 18 moved the axes from an attribute to an input.
        var axes = Ints(n, "axes") ?? (x.Length > 1 && x[1] is { } t ? t.cpu().data<long>().ToArray() : null);
        bool keep = Int(n, "keepdims", 1) == 1;
        return axes is null ? (keep ? x[0]!.mean([.. Enumerable.Range(0, (int)x[0]!.dim()).Select(i => (long)i)], keepdim: true)
            : x[0]!.mean()) : x[0]!.mean(axes, keepdim: keep);
    }

    /// <summary>Before opset 13 Softmax flattens the dimensions from its axis on into one; from 13 it runs along the axis.</summary>
    private static Tensor Softmax(NodeProto n, Tensor x, Context c)
    {
        long axis = Int(n, "axis", c.Opset >= 13 ? -1 : 1);
        if (axis < 0) axis += x.dim();
        return c.Opset >= 13 || axis == x.dim() - 1 ? x.softmax(axis) : x.flatten(axis).softmax(-1).reshape(x.shape);
    }

    /// <summary>Shapes and indices are held as int64 whatever integer type the graph casts them to; floats stay float32.</summary>
    private static Tensor Cast(NodeProto n, Tensor x)
    {
        var to = (TensorProto.Types.DataType)Int(n, "to", 0);
        return to switch
        {
            TensorProto.Types.DataType.Float => x.to_type(ScalarType.Float32),
            TensorProto.Types.DataType.Int64 or TensorProto.Types.DataType.Int32 or TensorProto.Types.DataType.Int16
                or TensorProto.Types.DataType.Int8 or TensorProto.Types.DataType.Uint8 => x.to_type(ScalarType.Int64),
            _ => throw new PodiumException($"node '{n.Name}' (Cast): casting to {to} is not imported"),
        };
    }

    /// <summary>Integer settings an operator takes as attributes before an opset and as an input from it (Slice's starts,
    /// Squeeze's axes).</summary>
    private static long[]? Setting(NodeProto n, Tensor?[] x, int input, string attribute, Context c, long inputsFrom) =>
        c.Opset < inputsFrom ? Ints(n, attribute) : x.Length > input && x[input] is { } t ? t.cpu().data<long>().ToArray() : null;

    private static Tensor Slice(NodeProto n, Tensor?[] x, Context c)
    {
        var input = x[0]!;
        var starts = Setting(n, x, 1, "starts", c, 10) ?? throw new PodiumException($"node '{n.Name}' (Slice): no starts");
        var ends = Setting(n, x, 2, "ends", c, 10) ?? throw new PodiumException($"node '{n.Name}' (Slice): no ends");
        var axes = Setting(n, x, 3, "axes", c, 10) ?? [.. Enumerable.Range(0, starts.Length).Select(i => (long)i)];
        var steps = Setting(n, x, 4, "steps", c, 10) ?? [.. starts.Select(_ => 1L)];
        var result = input;
        for (int i = 0; i < axes.Length; i++)
        {
            long axis = axes[i] < 0 ? axes[i] + input.dim() : axes[i];
            long size = input.shape[axis], step = steps[i];
            if (step <= 0) throw new PodiumException($"node '{n.Name}' (Slice): step {step} is not imported (only forward steps)");
            // ONNX clamps out-of-range starts and ends (INT64_MAX means "to the end"); negatives count from the end.
            long start = Math.Clamp(starts[i] < 0 ? starts[i] + size : starts[i], 0, size);
            long end = Math.Clamp(ends[i] < 0 ? ends[i] + size : ends[i], start, size);
            result = result.slice(axis, start, end, step);
        }
        return result;
    }

    private static Tensor Squeeze(NodeProto n, Tensor?[] x, Context c)
    {
        var axes = Setting(n, x, 1, "axes", c, 13);
        if (axes is null) return x[0]!.squeeze();
        var result = x[0]!;
        // From the last axis down, so earlier axes keep their numbers.
        foreach (var axis in axes.Select(a => a < 0 ? a + x[0]!.dim() : a).OrderDescending()) result = result.squeeze(axis);
        return result;
    }

    private static Tensor Unsqueeze(NodeProto n, Tensor?[] x, Context c)
    {
        var axes = Setting(n, x, 1, "axes", c, 13) ?? throw new PodiumException($"node '{n.Name}' (Unsqueeze): no axes");
        long rank = x[0]!.dim() + axes.Length;
        var result = x[0]!;
        foreach (var axis in axes.Select(a => a < 0 ? a + rank : a).Order()) result = result.unsqueeze(axis);
        return result;
    }

    /// <summary>Gather along an axis: negative indices count from the end, as ONNX allows.</summary>
    private static Tensor Gather(NodeProto n, Tensor?[] x)
    {
        var (data, indices) = (x[0]!, x[1]!.to_type(ScalarType.Int64));
        long axis = Int(n, "axis", 0);
        if (axis < 0) axis += data.dim();
        using var size = tensor(data.shape[axis], device: indices.device);
        var wrapped = indices.remainder(size); // floor modulo: -1 is the last
        var picked = data.index_select(axis, wrapped.flatten().to(data.device));
        var shape = data.shape.Take((int)axis).Concat(indices.shape).Concat(data.shape.Skip((int)axis + 1)).ToArray();
        return picked.reshape(shape);
    }

    private static Tensor Constant(NodeProto n)
    {
        var value = ConstantValue(n);
        return value.DataType == (int)TensorProto.Types.DataType.Float
            ? OnnxTensors.Float(value, n.Name) : OnnxTensors.Integers(value, n.Name);
    }

    /// <summary>A Constant node's tensor.</summary>
    public static TensorProto ConstantValue(NodeProto n) => Attribute(n, "value")?.T
        ?? throw new PodiumException($"node '{n.Name}' (Constant): only a tensor value is imported");
}
