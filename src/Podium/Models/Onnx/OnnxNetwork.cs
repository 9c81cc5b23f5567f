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
    private readonly Dictionary<string, int> _lastUse = new(StringComparer.Ordinal); // each value's last reading node

    /// <summary>The graph's nodes in order, and its image input (for mapping a known architecture onto Podium's own).</summary>
    internal IReadOnlyList<NodeProto> Nodes => _nodes;

    internal string InputName => _input;

    /// <summary>Each value's producing node, for following the graph's data flow back.</summary>
    internal IReadOnlyDictionary<string, NodeProto> Producers => _producers ??= ProducerMap(_nodes);

    private Dictionary<string, NodeProto>? _producers;

    internal string OutputName => _output;

    /// <summary>The file it was read from, for messages.</summary>
    public string Source { get; }

    private OnnxNetwork(ModelProto model, string source, string? cut) : base("OnnxNetwork")
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
        if (cut is not null) (_nodes, _output) = (Cut(_nodes, cut), cut);
        var used = _nodes.SelectMany(n => n.Input).ToHashSet(StringComparer.Ordinal);
        for (int i = 0; i < _nodes.Count; i++) foreach (var name in _nodes[i].Input) _lastUse[name] = i;
        foreach (var node in _nodes)
            if (!OnnxOperators.Supports(node.OpType))
                throw new PodiumException($"{source}: node '{node.Name}' uses the operator {node.OpType}, which Podium does not import " +
                    $"(it imports {string.Join(", ", OnnxOperators.Names)})");
        var runningStats = _nodes.Where(n => n.OpType == "BatchNormalization").SelectMany(n => n.Input.Skip(3)).ToHashSet();
        var settings = _nodes.SelectMany(n => n.Input.Where((_, k) => OnnxOperators.IsSetting(n.OpType, k))).ToHashSet();
        foreach (var init in graph.Initializer.Where(i => used.Contains(i.Name))) Add(init.Name, init, runningStats, settings);
        // Exporters such as Paddle2ONNX store some weights as Constant nodes: they are taken in as initializers are.
        foreach (var node in _nodes.Where(n => n.OpType == "Constant"))
            Add(node.Output[0], OnnxOperators.ConstantValue(node), runningStats, settings);
    }

    /// <summary>The nodes a value depends on, in their order: the graph cut at that value (a backbone's features), its weights
    /// beyond the cut left out.</summary>
    private List<NodeProto> Cut(IReadOnlyList<NodeProto> nodes, string value)
    {
        var producers = ProducerMap(nodes);
        if (!producers.ContainsKey(value))
            throw new PodiumException($"{Source}: the graph has no value named '{value}'" +
                Config.ConfigLoader.KnownHint(value, producers.Keys.Where(k => !k.Contains("constant", StringComparison.Ordinal))));
        var needed = new HashSet<NodeProto>();
        var pending = new Stack<string>([value]);
        while (pending.TryPop(out var name))
            if (producers.TryGetValue(name, out var node) && needed.Add(node))
                foreach (var input in node.Input) pending.Push(input);
        return [.. nodes.Where(needed.Contains)];
    }

    private static Dictionary<string, NodeProto> ProducerMap(IEnumerable<NodeProto> nodes) =>
        nodes.SelectMany(n => n.Output.Select(o => (o, n))).ToDictionary(p => p.o, p => p.n, StringComparer.Ordinal);

    /// <summary>Takes in a stored tensor: float weights as parameters, running statistics as buffers, settings and single values
    /// (an activation's 3 or 6) as buffers not saved, integers as shapes read on the CPU.</summary>
    private void Add(string onnxName, TensorProto value, HashSet<string> runningStats, HashSet<string> settings)
    {
        if (value.DataLocation == TensorProto.Types.DataLocation.External) value = External(onnxName, value);
        var name = ModuleName(onnxName, _parameterNames.Count + _bufferNames.Count);
        if (value.DataType == (int)TensorProto.Types.DataType.Float)
        {
            var t = OnnxTensors.Float(value, Source);
            bool constant = settings.Contains(onnxName) || t.numel() <= 1;
            if (runningStats.Contains(onnxName) || constant)
            {
                register_buffer(name, t, persistent: !constant);
                _bufferNames[onnxName] = name;
            }
            else
            {
                register_parameter(name, new TorchSharp.Modules.Parameter(t));
                _parameterNames[onnxName] = name;
            }
        }
        else if (value.DataType is (int)TensorProto.Types.DataType.Int64 or (int)TensorProto.Types.DataType.Int32)
            _shapes[onnxName] = OnnxTensors.Integers(value, Source);
        else
            throw new PodiumException($"{Source}: initializer '{onnxName}' has data type " +
                $"{(TensorProto.Types.DataType)value.DataType}; Podium imports float weights and integer shapes");
    }

    /// <summary>A tensor whose bytes lie in a file beside the model (ONNX's external data: location, offset, length), read in.</summary>
    private TensorProto External(string onnxName, TensorProto value)
    {
        var keys = value.ExternalData.ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var location = keys.GetValueOrDefault("location") ?? "";
        if (location.Length == 0 || Path.IsPathRooted(location) || location.Split('/', '\\').Contains(".."))
            throw new PodiumException($"{Source}: initializer '{onnxName}' names its external data file as '{location}'; ONNX wants a " +
                "path relative to the model's folder");
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(Source))!, location);
        if (!File.Exists(file))
            throw new PodiumException($"{Source}: initializer '{onnxName}' keeps its data in {file}, which is missing; keep the " +
                "external data file beside the .onnx file");
        long offset = long.TryParse(keys.GetValueOrDefault("offset"), out var o) ? o : 0;
        using var stream = File.OpenRead(file);
        long length = long.TryParse(keys.GetValueOrDefault("length"), out var l) ? l : stream.Length - offset;
        if (offset < 0 || length < 0 || offset + length > stream.Length)
            throw new PodiumException($"{Source}: initializer '{onnxName}' wants bytes {offset}..{offset + length} of {file}, which " +
                $"holds {stream.Length}");
        var bytes = new byte[length];
        stream.Seek(offset, SeekOrigin.Begin);
        stream.ReadExactly(bytes);
        var inline = value.Clone();
        inline.DataLocation = TensorProto.Types.DataLocation.Default;
        inline.ExternalData.Clear();
        inline.RawData = ByteString.CopyFrom(bytes);
        return inline;
    }

    /// <summary>Reads an .onnx file; a file that is not ONNX, is cut short or uses an operator Podium does not import is one line
    /// naming it.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="cut">A value of the graph to end at instead of its output (a backbone's features); null: the whole graph.</param>
    public static OnnxNetwork Load(string path, string? cut = null)
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
        return new OnnxNetwork(model, path, cut);
    }

    /// <summary>The graph's parameters and buffers by their ONNX initializer names (for loading, freezing and reports).</summary>
    public IReadOnlyDictionary<string, Tensor> Weights => _parameterNames.Select(p => (p.Key, (Tensor)get_parameter(p.Value)!))
        .Concat(_bufferNames.Select(b => (b.Key, get_buffer(b.Value)!))).ToDictionary(p => p.Key, p => p.Item2, StringComparer.Ordinal);

    public override Tensor forward(Tensor input) => Run(input, [])[_output];

    /// <summary>The graph's output and the value of one of its nodes (a backbone's features, for a head of Podium's own).</summary>
    public (Tensor Output, Tensor Node) Forward(Tensor input, string node)
    {
        var values = Run(input, [node]);
        return (values[_output], values.TryGetValue(node, out var v) ? v
            : throw new PodiumException($"{Source}: the graph has no value named '{node}'"));
    }

    /// <summary>Runs the nodes in order. A value the graph computed is disposed after the last node that reads it (unless it is the
    /// output or in <paramref name="keep"/>): holding every intermediate to the end kept gigabytes alive per call (a recogniser's
    /// batch of 16 lines reached 10 GB), and the fresh pages cost more time than the arithmetic. Autograd keeps its own references
    /// to what backward needs.</summary>
    private Dictionary<string, Tensor> Run(Tensor input, IReadOnlyCollection<string> keep)
    {
        var values = new Dictionary<string, Tensor>(Weights.Concat(_shapes), StringComparer.Ordinal) { [_input] = input };
        var context = new OnnxOperators.Context(_opset, training);
        // Computed values by tensor object: an operator may hand its input back (Identity), so one tensor can have several names.
        var owners = new Dictionary<Tensor, int>(ReferenceEqualityComparer.Instance);
        var external = new HashSet<Tensor>(values.Values, ReferenceEqualityComparer.Instance);
        for (int i = 0; i < _nodes.Count; i++)
        {
            var node = _nodes[i];
            if (node.OpType == "Constant") continue; // taken in at import
            var outputs = OnnxOperators.Run(node, node.Input.Select(n => n.Length == 0 ? null : values.GetValueOrDefault(n)).ToArray(),
                context, Source);
            for (int k = 0; k < outputs.Length && k < node.Output.Count; k++)
            {
                values[node.Output[k]] = outputs[k];
                if (!external.Contains(outputs[k])) owners[outputs[k]] = owners.GetValueOrDefault(outputs[k]) + 1;
            }
            foreach (var name in node.Input.Distinct())
            {
                if (name.Length == 0 || _lastUse[name] != i || name == _output || keep.Contains(name)
                    || !values.TryGetValue(name, out var t) || !owners.TryGetValue(t, out var count)) continue;
                values.Remove(name);
                if (count > 1) owners[t] = count - 1;
                else
                {
                    owners.Remove(t);
                    t.Dispose();
                }
            }
        }
        return values;
    }

    /// <summary>Reverses the input channels the first convolution reads (a network trained on BGR images then takes RGB).</summary>
    public void ReverseInputChannels()
    {
        var stem = _nodes.FirstOrDefault(n => n.OpType == "Conv" && n.Input[0] == _input && _parameterNames.ContainsKey(n.Input[1]))
            ?? throw new PodiumException($"{Source}: no convolution reads the image input, so its channel order cannot be changed");
        var weight = (Tensor)get_parameter(_parameterNames[stem.Input[1]])!;
        using (no_grad()) weight.copy_(weight.flip(1));
    }

    /// <summary>A module attribute name for an ONNX tensor name (TorchSharp names may not hold dots; the index keeps "a.b" and
    /// "a_b" apart).</summary>
    private static string ModuleName(string onnxName, int index) =>
        $"w{index}_" + new string([.. onnxName.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_')]);
}
