using System.Runtime.InteropServices;
using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Podium.Models.Onnx;

/// <summary>
/// Writes a network as an ONNX graph (opset 17), module by module, for `podium export --format onnx`. TorchSharp's layers
/// (convolutions, normalisations, activations, pools, linear layers, Sequential) have their ONNX form here; a module whose
/// forward is its own code says how it computes through <see cref="IOnnxExportable"/>. The weights become initializers; a
/// module with no ONNX form is one line naming its type.
/// </summary>
public sealed class OnnxGraph
{
    public const int Opset = 17;
    private readonly GraphProto _graph = new() { Name = "podium" };
    private int _next;

    /// <summary>A node of <paramref name="op"/> on <paramref name="inputs"/>; returns its (single) output's name.</summary>
    public string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        var output = $"{op.ToLowerInvariant()}_{_next++}";
        var node = new NodeProto { OpType = op, Name = output };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return output;
    }

    /// <summary>A tensor of the model (a weight, a statistic) as a float initializer; returns its name.</summary>
    public string Weight(Tensor t)
    {
        var name = $"w_{_next++}";
        using var cpu = t.detach().to(ScalarType.Float32).cpu().contiguous();
        var values = cpu.data<float>().ToArray();
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        proto.Dims.AddRange(t.shape);
        proto.RawData = ByteString.CopyFrom(MemoryMarshal.AsBytes(values.AsSpan()));
        _graph.Initializer.Add(proto);
        return name;
    }

    /// <summary>A float scalar or vector constant.</summary>
    public string Constant(params float[] values)
    {
        using var t = tensor(values);
        return Weight(values.Length == 1 ? t.reshape([]) : t);
    }

    /// <summary>An int64 constant (shapes, axes).</summary>
    public string Ints(params long[] values)
    {
        var name = $"i_{_next++}";
        var proto = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        proto.Dims.Add(values.Length);
        proto.Int64Data.AddRange(values);
        _graph.Initializer.Add(proto);
        return name;
    }

    public static AttributeProto Attr(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static AttributeProto Attr(string name, string value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.String, S = ByteString.CopyFromUtf8(value) };

    public static AttributeProto Attr(string name, float value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value };

    public static AttributeProto Attr(string name, IEnumerable<long> values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    /// <summary>What <paramref name="module"/> computes from <paramref name="x"/> in evaluation.</summary>
    public string Module(nn.Module module, string x) => module switch
    {
        IOnnxExportable own => own.ToOnnx(this, x),
        TorchSharp.Modules.Sequential s => s.children().Aggregate(x, (y, child) => Module(child, y)),
        TorchSharp.Modules.Conv2d c when !c.transposed => Conv(c, x),
        TorchSharp.Modules.ConvTranspose2d c => ConvTranspose(c, x),
        TorchSharp.Modules.BatchNorm b => BatchNorm(b, x),
        TorchSharp.Modules.Linear l => Linear(l, x),
        TorchSharp.Modules.LayerNorm n => LayerNorm(x, n.weight!, n.bias, n.eps, -1),
        TorchSharp.Modules.ReLU => Node("Relu", [x]),
        TorchSharp.Modules.ReLU6 => Node("Clip", [x, Constant(0f), Constant(6f)]),
        TorchSharp.Modules.SiLU => Silu(x),
        TorchSharp.Modules.GELU => Gelu(x),
        TorchSharp.Modules.Sigmoid => Node("Sigmoid", [x]),
        TorchSharp.Modules.Hardswish => Node("HardSwish", [x]),
        TorchSharp.Modules.Hardsigmoid => Node("HardSigmoid", [x], Attr("alpha", 1f / 6), Attr("beta", 0.5f)),
        TorchSharp.Modules.MaxPool2d p => Node("MaxPool", [x], Attr("kernel_shape", p.kernel_size),
            Attr("strides", p.stride ?? p.kernel_size), Attr("pads", Pads(p.padding ?? [0, 0])), Attr("ceil_mode", p.ceil_mode ? 1L : 0L)),
        TorchSharp.Modules.AdaptiveAvgPool2d => Node("GlobalAveragePool", [x]), // Podium's networks pool to 1x1 only
        TorchSharp.Modules.Flatten => Node("Flatten", [x], Attr("axis", 1L)),
        TorchSharp.Modules.Identity or TorchSharp.Modules.Dropout => x,
        _ when module.GetType().Name == "SqueezeExcitation" => TorchVisionSqueezeExcitation(module, x),
        _ => throw new PodiumException($"ONNX export: no ONNX form for the layer {module.GetType().Name} ({module.GetName()})"),
    };

    public string Conv(TorchSharp.Modules.Conv2d c, string x)
    {
        if (c.padding_type is not null) throw new PodiumException($"ONNX export: {c.GetName()} pads by mode {c.padding_type}");
        var inputs = new List<string> { x, Weight(c.weight) };
        if (c.bias is { } b) inputs.Add(Weight(b));
        return Node("Conv", inputs, Attr("kernel_shape", c.kernel_size), Attr("strides", c.stride), Attr("pads", Pads(c.padding ?? [0, 0])),
            Attr("dilations", c.dilation), Attr("group", c.groups));
    }

    public string ConvTranspose(TorchSharp.Modules.ConvTranspose2d c, string x)
    {
        var inputs = new List<string> { x, Weight(c.weight) };
        if (c.bias is { } b) inputs.Add(Weight(b));
        return Node("ConvTranspose", inputs, Attr("kernel_shape", c.kernel_size), Attr("strides", c.stride),
            Attr("pads", Pads(c.padding ?? [0, 0])), Attr("dilations", c.dilation), Attr("group", c.groups),
            Attr("output_padding", c.output_padding));
    }

    public string BatchNorm(TorchSharp.Modules.BatchNorm b, string x) =>
        Node("BatchNormalization", [x, Weight(b.weight!), Weight(b.bias!), Weight(b.running_mean!), Weight(b.running_var!)],
            Attr("epsilon", (float)b.eps));

    /// <summary>A linear layer on the last dimension, whatever the dimensions before it: MatMul by the transposed weight, then Add.
    /// </summary>
    public string Linear(TorchSharp.Modules.Linear l, string x)
    {
        using var transposed = l.weight!.detach().t();
        var y = Node("MatMul", [x, Weight(transposed)]);
        return l.bias is { } b ? Node("Add", [y, Weight(b)]) : y;
    }

    /// <summary>TorchVision's SqueezeExcitation (MobileNetV3): x · scale_activation(fc2(activation(fc1(avgpool(x))))).</summary>
    private string TorchVisionSqueezeExcitation(nn.Module module, string x)
    {
        var children = module.named_children().ToDictionary(c => c.name, c => c.module);
        var scale = new[] { "avgpool", "fc1", "activation", "fc2", "scale_activation" }
            .Aggregate(x, (y, name) => Module(children[name], y));
        return Node("Mul", [x, scale]);
    }

    /// <summary>Nearest up-sampling of <paramref name="x"/> to the height and width of <paramref name="like"/> at run time, as
    /// PyTorch's interpolate(mode: nearest) computes it (asymmetric coordinates, floor).</summary>
    public string NearestResize(string x, string like)
    {
        var size = Node("Concat", [Node("Slice", [Node("Shape", [x]), Ints(0), Ints(2)]), Node("Slice", [Node("Shape", [like]), Ints(2),
            Ints(4)])], Attr("axis", 0L));
        return Node("Resize", [x, "", "", size], Attr("mode", "nearest"), Attr("coordinate_transformation_mode", "asymmetric"),
            Attr("nearest_mode", "floor"));
    }

    public string Silu(string x) => Node("Mul", [x, Node("Sigmoid", [x])]);

    /// <summary>GELU as PyTorch's default computes it: x·Φ(x) = 0.5·x·(1 + erf(x/√2)).</summary>
    public string Gelu(string x)
    {
        var erf = Node("Erf", [Node("Mul", [x, Constant((float)(1 / Math.Sqrt(2)))])]);
        return Node("Mul", [Node("Mul", [x, Constant(0.5f)]), Node("Add", [erf, Constant(1f)])]);
    }

    /// <summary>LayerNorm over <paramref name="axis"/> alone: the last dimension directly, another (channels of NCHW) by moving it
    /// last and back.</summary>
    public string LayerNorm(string x, Tensor weight, Tensor? bias, double eps, int axis)
    {
        var inputs = new List<string> { axis == -1 ? x : ChannelsLast(x), Weight(weight) };
        if (bias is not null) inputs.Add(Weight(bias));
        var y = Node("LayerNormalization", inputs, Attr("axis", -1L), Attr("epsilon", (float)eps));
        return axis == -1 ? y : ChannelsFirst(y);
    }

    /// <summary>NCHW to NHWC (PyTorch's permute(0, 2, 3, 1)).</summary>
    public string ChannelsLast(string x) => Node("Transpose", [x], Attr("perm", [0L, 2, 3, 1]));

    /// <summary>NHWC back to NCHW (permute(0, 3, 1, 2)).</summary>
    public string ChannelsFirst(string x) => Node("Transpose", [x], Attr("perm", [0L, 3, 1, 2]));

    /// <summary>The mean over the spatial dimensions of an NCHW map: N×C×1×1, or N×C when not kept.</summary>
    public string SpatialMean(string x, bool keep)
    {
        var pooled = Node("GlobalAveragePool", [x]);
        return keep ? pooled : Node("Flatten", [pooled], Attr("axis", 1L));
    }

    /// <summary>The finished model: one input and one output; dimensions of -1 are named (batch, height, width) and free.</summary>
    public ModelProto Build(string input, long[] inputShape, string output, string outputName)
    {
        string[] free = ["batch", "channels", "height", "width"];
        var type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = new() },
        };
        for (int i = 0; i < inputShape.Length; i++)
            type.TensorType.Shape.Dim.Add(inputShape[i] < 0 ? new TensorShapeProto.Types.Dimension { DimParam = free[i] }
                : new TensorShapeProto.Types.Dimension { DimValue = inputShape[i] });
        _graph.Input.Add(new ValueInfoProto { Name = input, Type = type });
        var identity = new NodeProto { OpType = "Identity", Name = outputName };
        identity.Input.Add(output);
        identity.Output.Add(outputName);
        _graph.Node.Add(identity);
        _graph.Output.Add(new ValueInfoProto
        {
            Name = outputName,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
        });
        var model = new ModelProto { IrVersion = 8, ProducerName = "podium", Graph = _graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return model;
    }

    // PyTorch's symmetric padding per spatial dimension → ONNX's begins then ends.
    private static long[] Pads(long[] padding) => [.. padding, .. padding];
}
