using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Podium.Models.Onnx;

/// <summary>
/// An ONNX graph as a trainable TorchSharp network: every float initializer becomes a parameter (BatchNormalization's running
/// statistics become buffers, integer initializers such as Reshape's shape stay constants), and <see cref="Module.forward"/>
/// runs the graph's nodes in their (topological) order with TorchSharp operators, so gradients reach every weight and
/// <c>train()</c>/<c>eval()</c> switch BatchNormalization between batch and running statistics as PyTorch's does. The
/// operators of common CNNs are supported (<see cref="OnnxOperators"/>); any other is one line naming it and its node.
/// </summary>
public sealed class OnnxNetwork : nn.Module<Tensor, Tensor>
{
    private readonly IReadOnlyList<NodeProto> _nodes;
    private readonly string _input;
    private readonly string _output;
    // Tensors are looked up by their module names at each call: moving the module to a device replaces them.
    private readonly Dictionary<string, string> _parameterNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _bufferNames = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Tensor> _shapes = new(StringComparer.Ordinal); // integer constants: read on the CPU
    private readonly long _opset;

    /// <summary>The file it was read from, for messages.</summary>
    public string Source { get; }

    private OnnxNetwork(ModelProto model, string source) : base("OnnxNetwork")
    {
        Source = source;
        var graph = model.Graph ?? throw new PodiumException($"{source}: an ONNX model without a graph");
        _opset = model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(1).Max();
        var initializerNames = graph.Initializer.Select(i => i.Name).ToHashSet(StringComparer.Ordinal);
        var inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToList();
        if (inputs.Count != 1 || graph.Output.Count != 1)
            throw new PodiumException($"{source}: {inputs.Count} inputs and {graph.Output.Count} outputs; Podium imports graphs of one " +
                "image input and one output");
        (_input, _output) = (inputs[0].Name, graph.Output[0].Name);
        _nodes = [.. graph.Node];
        foreach (var node in _nodes)
            if (!OnnxOperators.Supports(node.OpType))
                throw new PodiumException($"{source}: node '{node.Name}' uses the operator {node.OpType}, which Podium does not import " +
                    $"(it imports {string.Join(", ", OnnxOperators.Names)})");
        var runningStats = _nodes.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Input.Skip(3)).ToHashSet();
        var settings = _nodes.SelectMany(n => n.Input.Where((_, k) => OnnxOperators.IsSetting(n.OpType, k))).ToHashSet();
        foreach (var init in graph.Initializer)
        {
            if (init.DataLocation == TensorProto.Types.DataLocation.External)
                throw new PodiumException($"{source}: initializer '{init.Name}' keeps its data in an external file; Podium reads " +
                    "models whose weights are inside the .onnx file");
            var name = ModuleName(init.Name, _parameterNames.Count + _bufferNames.Count);
            if (init.DataType == (int)TensorProto.Types.DataType.Float)
            {
                var t = OnnxTensors.Float(init, source);
                // Running statistics are saved with the weights; settings (Clip's bounds) are rebuilt from the file.
                if (runningStats.Contains(init.Name) || settings.Contains(init.Name))
                {
                    register_buffer(name, t, persistent: !settings.Contains(init.Name));
                    _bufferNames[init.Name] = name;
                }
                else
                {
                    register_parameter(name, new TorchSharp.Modules.Parameter(t));
                    _parameterNames[init.Name] = name;
                }
            }
            else if (init.DataType is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32)
                _shapes[init.Name] = OnnxTensors.Integers(init, source);
            else
                throw new PodiumException($"{source}: initializer '{init.Name}' has data type " +
                    $"{(TensorProto.Types.DataType)init.DataType}; Podium imports float weights and integer shapes");
        }
    }

    /// <summary>Reads an .onnx file; a file that is not ONNX, is cut short or uses an operator Podium does not import is one line
    /// naming it.</summary>
    public static OnnxNetwork Load(string path)
    {
        if (!File.Exists(path)) throw new PodiumException($"{path}: ONNX model not found");
        ModelProto model;
        try
        {
            using var stream = File.OpenRead(path);
            model = ModelProto.Parser.ParseFrom(stream);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new PodiumException($"{path}: not an ONNX model, or one cut short ({e.Message.TrimEnd('.')})");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0) throw new PodiumException($"{path}: not an ONNX model (no graph nodes)");
        return new OnnxNetwork(model, path);
    }

    /// <summary>The graph's parameters and buffers by their ONNX initializer names (for loading, freezing and reports).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _parameterNames.Select(p => (p.Key, (Tensor)get_parameter(p.Value)!))
        .Concat(_bufferNames.Select(b => (b.Key, get_buffer(b.Value)!))).ToDictionary(p => p.Key, p => p.Item2, StringComparer.Ordinal);

    public override Tensor forward(Tensor input)
    {
        var values = new Dictionary<string, Tensor>(Weights.Concat(_shapes), StringComparer.Ordinal) { [_input] = input };
        var context = new OnnxOperators.Context(_opset, training);
        foreach (var node in _nodes)
        {
            var outputs = OnnxOperators.Run(node, node.Input.Select(i => i.Length == 0 ? null : values.GetValueOrDefault(i)).ToArray(),
                context, Source);
            for (int k = 0; k < outputs.Length && k < node.Output.Count; k++) values[node.Output[k]] = outputs[k];
        }
        return values[_output];
    }

    /// <summary>A module attribute name for an ONNX tensor name (TorchSharp names may not hold dots; the index keeps "a.b" and
    /// "a_b" apart).</summary>
    private static string ModuleName(string onnxName, int index) =>
        $"w{index}_" + new string([.. onnxName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
