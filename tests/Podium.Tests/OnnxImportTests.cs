using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using Onnx;
using Podium.Models.Onnx;
using static TorchSharp.torch;

namespace Podium.Tests;

/// <summary>ONNX graphs built here, imported as TorchSharp networks and checked against ONNX Runtime (issue 17, first part).</summary>
public class OnnxImportTests
{
    private static readonly Random Rng = new(7);

    private static float[] Random(int n, float scale = 0.3f) =>
        [.. Enumerable.Range(0, n).Select(_ => (float)(Rng.NextDouble() * 2 - 1) * scale)];

    private static TensorProto Weights(string name, float[] values, params long[] dims) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Float, Dims = { dims }, FloatData = { values } };

    private static TensorProto Longs(string name, params long[] values) =>
        new() { Name = name, DataType = (int)TensorProto.Types.DataType.Int64, Dims = { values.Length }, Int64Data = { values } };

    private static AttributeProto Ints(string name, params long[] v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Ints, Ints = { v } };

    private static AttributeProto Int(string name, long v) => new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = v };

    private static AttributeProto Float(string name, float v) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = v };

    private static NodeProto Node(string op, string name, string[] inputs, string output, params AttributeProto[] attributes) =>
        new() { OpType = op, Name = name, Input = { inputs }, Output = { output }, Attribute = { attributes } };

    private static ValueInfoProto Value(string name, params long[] dims) => new()
    {
        Name = name,
        Type = new TypeProto
        {
            TensorType = new TypeProto.Types.Tensor
            {
                ElemType = (int)TensorProto.Types.DataType.Float,
                Shape = new TensorShapeProto { Dim = { dims.Select(d => new TensorShapeProto.Types.Dimension { DimValue = d }) } },
            },
        },
    };

    /// <summary>A small residual CNN using the imported operators: conv with bias and stride, batch norm, ReLU, max pool, a 1x1
    /// conv, a residual add, a squeeze-excite-like hard sigmoid gate, Clip(0, 6), an average pool with uneven pads, global
    /// pooling, flatten, a reshape and a Gemm classifier.</summary>
    internal static ModelProto SmallCnn(string extraOp = "")
    {
        var graph = new GraphProto { Name = "small" };
        graph.Input.Add(Value("x", 2, 3, 16, 16));
        graph.Output.Add(Value("logits", 2, 10));
        graph.Initializer.Add(Weights("c1.w", Random(8 * 3 * 9), 8, 3, 3, 3));
        graph.Initializer.Add(Weights("c1.b", Random(8), 8));
        graph.Initializer.Add(Weights("bn.scale", [.. Random(8).Select(v => 1 + v)], 8));
        graph.Initializer.Add(Weights("bn.bias", Random(8), 8));
        graph.Initializer.Add(Weights("bn.mean", Random(8, 0.1f), 8));
        graph.Initializer.Add(Weights("bn.var", [.. Random(8).Select(v => 1 + Math.Abs(v))], 8));
        graph.Initializer.Add(Weights("c2.w", Random(8 * 8), 8, 8, 1, 1));
        graph.Initializer.Add(Weights("six", [6f]));
        graph.Initializer.Add(Weights("zero", [0f]));
        graph.Initializer.Add(Longs("shape", 0, -1));
        graph.Initializer.Add(Weights("fc.w", Random(10 * 8), 10, 8));
        graph.Initializer.Add(Weights("fc.b", Random(10), 10));
        graph.Node.Add(Node("Conv", "conv1", ["x", "c1.w", "c1.b"], "a", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2),
            Ints("pads", 1, 1, 1, 1)));
        graph.Node.Add(Node("BatchNormalization", "bn1", ["a", "bn.scale", "bn.bias", "bn.mean", "bn.var"], "b", Float("epsilon", 1e-3f)));
        graph.Node.Add(Node("Relu", "relu1", ["b"], "c"));
        graph.Node.Add(Node("MaxPool", "pool1", ["c"], "d", Ints("kernel_shape", 3, 3), Ints("strides", 2, 2), Ints("pads", 1, 1, 1, 1)));
        graph.Node.Add(Node("Conv", "conv2", ["d", "c2.w"], "e", Ints("kernel_shape", 1, 1)));
        graph.Node.Add(Node("Add", "residual", ["e", "d"], "f"));
        graph.Node.Add(Node("HardSigmoid", "gate", ["f"], "g", Float("alpha", 0.2f), Float("beta", 0.5f)));
        graph.Node.Add(Node("Mul", "excite", ["f", "g"], "h"));
        graph.Node.Add(Node("Clip", "relu6", ["h", "zero", "six"], "i"));
        graph.Node.Add(Node("AveragePool", "pool2", ["i"], "j", Ints("kernel_shape", 2, 2), Ints("strides", 2, 2),
            Ints("pads", 0, 0, 1, 1)));
        graph.Node.Add(Node("GlobalAveragePool", "gap", ["j"], "k"));
        graph.Node.Add(Node("Flatten", "flatten", ["k"], "l"));
        graph.Node.Add(Node("Reshape", "reshape", ["l", "shape"], "m"));
        graph.Node.Add(Node(extraOp.Length > 0 ? extraOp : "Gemm", "fc", ["m", "fc.w", "fc.b"], "logits", Int("transB", 1)));
        var model = new ModelProto { IrVersion = 8, ProducerName = "podium-tests", Graph = graph };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });
        return model;
    }

    /// <summary>Each value within <paramref name="relative"/> of the expected one (absolutely, below 1).</summary>
    internal static void AssertClose(float[] expected, float[] actual, double relative = 1e-4)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= relative * Math.Max(1, Math.Abs(expected[i])),
                $"{i}: {expected[i]} vs {actual[i]}");
    }

    /// <summary>ONNX Runtime's output operator by operator: its graph optimisations (fused layer norms and attention) round
    /// differently, by up to 2e-4 on PP-OCRv4's recogniser.</summary>
    internal static float[] OnnxRuntime(ModelProto model, float[] input, long[] shape, string name = "x")
    {
        using var options = new SessionOptions { GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var value = NamedOnnxValue.CreateFromTensor(name, new DenseTensor<float>(input, [.. shape.Select(d => (int)d)]));
        using var results = session.Run([value]);
        return [.. results.First().AsEnumerable<float>()];
    }

    [Fact]
    public void AnImportedCnnComputesWhatOnnxRuntimeComputesAndTrains()
    {
        var model = SmallCnn();
        var path = Path.Combine(TestEnv.TempDir("onnx"), "small.onnx");
        File.WriteAllBytes(path, model.ToByteArray());
        var input = Random(2 * 3 * 16 * 16, 1f);
        var expected = OnnxRuntime(model, input, [2, 3, 16, 16]);

        using var scope = NewDisposeScope();
        var net = OnnxNetwork.Load(path);
        net.eval();
        var x = tensor(input, [2, 3, 16, 16]);
        float[] actual;
        using (no_grad()) actual = net.forward(x).data<float>().ToArray();
        AssertClose(expected, actual);

        // Every weight is a parameter that gradients reach, and a step changes it; the running statistics are buffers.
        Assert.Equal(7, net.parameters().Count()); // Clip's bounds are settings, not weights
        Assert.Equal(2, net.buffers().Count()); // the running statistics (Clip's bounds are buffers not saved: they come from the file)
        Assert.Equal(9, net.state_dict().Count);
        net.train();
        var before = net.parameters().Select(p => p.detach().clone()).ToList();
        var meanBefore = net.Weights["bn.mean"].clone();
        var optimizer = optim.SGD(net.parameters(), 0.1);
        var loss = nn.functional.cross_entropy(net.forward(x), tensor(new long[] { 1, 7 }));
        loss.backward();
        Assert.All(net.parameters(), p => Assert.NotNull(p.grad));
        optimizer.step();
        // All change but the first conv's bias: batch norm in training mode subtracts it again (as in PyTorch).
        var bias = net.Weights["c1.b"];
        Assert.All(net.parameters().Zip(before).Where(p => !ReferenceEquals(p.First, bias)),
            pair => Assert.False(pair.First.allclose(pair.Second)));
        Assert.True(bias.grad!.abs().max().item<float>() < 1e-5);
        Assert.False(net.Weights["bn.mean"].allclose(meanBefore)); // batch statistics moved the running mean

        // The trained weights save and load into a network imported afresh, which then computes the same.
        var saved = Path.Combine(Path.GetDirectoryName(path)!, "trained.pt");
        net.save(saved);
        var again = OnnxNetwork.Load(path);
        again.load(saved);
        net.eval();
        again.eval();
        using (no_grad()) Assert.True(net.forward(x).allclose(again.forward(x)));
    }

    [Fact]
    public void AGraphCutAtAValueComputesItWithOnlyTheWeightsItNeeds()
    {
        var path = Path.Combine(TestEnv.TempDir("onnx-cut"), "small.onnx");
        File.WriteAllBytes(path, SmallCnn().ToByteArray());
        using var scope = NewDisposeScope();
        using var whole = OnnxNetwork.Load(path);
        using var cut = OnnxNetwork.Load(path, "j"); // the average pool before global pooling and the classifier
        Assert.Equal(7, whole.parameters().Count());
        Assert.Equal(["bn.bias", "bn.mean", "bn.scale", "bn.var", "c1.b", "c1.w", "c2.w", "six", "zero"], cut.Weights.Keys.Order());
        whole.eval();
        cut.eval();
        var x = tensor(Random(2 * 3 * 16 * 16, 1f), [2, 3, 16, 16]);
        using (no_grad())
        {
            var inner = whole.Forward(x, "j").Node;
            Assert.Equal([2L, 8, 2, 2], inner.shape);
            Assert.True(cut.forward(x).allclose(inner, rtol: 0, atol: 0));
        }
        Assert.Equal($"{path}: the graph has no value named 'J' (did you mean 'j'?)",
            Assert.Throws<PodiumException>(() => OnnxNetwork.Load(path, "J")).Message);
    }

    /// <summary>Shapes computed at run time, as transformer exports compute them: Shape, Gather (a negative index), Cast, Concat
    /// and Reshape; Slice with inputs (a negative start, an end past the size, a step), Transpose, Unsqueeze and Squeeze with
    /// axes inputs (opset 13), Softmax along the last axis; and opset 11's Softmax, which flattens the axes from its own on.</summary>
    [Fact]
    public void RuntimeShapeOperatorsComputeWhatOnnxRuntimeComputes()
    {
        var graph = new GraphProto { Name = "tokens" };
        graph.Input.Add(Value("x", 2, 4, 6, 5));
        graph.Output.Add(Value("y", 2, 3, 12));
        graph.Initializer.Add(Longs("start", -5));
        graph.Initializer.Add(Longs("end", long.MaxValue));
        graph.Initializer.Add(Longs("axis3", 3));
        graph.Initializer.Add(Longs("step", 2));
        graph.Initializer.Add(Longs("pick", 1, -1));
        graph.Initializer.Add(Longs("first", 0));
        graph.Initializer.Add(Longs("rest", -1, 3));
        graph.Initializer.Add(Longs("axis1", 1));
        graph.Node.Add(Node("Slice", "slice", ["x", "start", "end", "axis3", "step"], "a")); // 2x4x6x3: columns 0, 2, 4
        graph.Node.Add(Node("Gather", "gather", ["a", "pick"], "b", Int("axis", 1))); // 2x2x6x3: channels 1 and 3
        graph.Node.Add(Node("Shape", "shape", ["x"], "s"));
        graph.Node.Add(Node("Gather", "batch", ["s", "first"], "n"));
        graph.Node.Add(Node("Cast", "cast", ["n"], "n64", Int("to", (long)TensorProto.Types.DataType.Int64)));
        graph.Node.Add(Node("Concat", "concat", ["n64", "rest"], "target", Int("axis", 0)));
        graph.Node.Add(Node("Reshape", "reshape", ["b", "target"], "c")); // 2x12x3
        graph.Node.Add(Node("Transpose", "transpose", ["c"], "d", Ints("perm", 0, 2, 1)));
        graph.Node.Add(Node("Unsqueeze", "unsqueeze", ["d", "axis1"], "e"));
        graph.Node.Add(Node("Squeeze", "squeeze", ["e", "axis1"], "f"));
        graph.Node.Add(Node("Softmax", "softmax", ["f"], "y", Int("axis", -1)));
        var tokens = new ModelProto { IrVersion = 8, ProducerName = "podium-tests", Graph = graph };
        tokens.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 13 });

        var old = new GraphProto { Name = "softmax11" };
        old.Input.Add(Value("x", 2, 4, 6, 5));
        old.Output.Add(Value("y", 2, 4, 6, 5));
        old.Node.Add(Node("Softmax", "softmax", ["x"], "y", Int("axis", 1))); // over each image's 4x6x5 values together
        var softmax11 = new ModelProto { IrVersion = 6, ProducerName = "podium-tests", Graph = old };
        softmax11.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = 11 });

        var input = Random(2 * 4 * 6 * 5, 3f);
        var root = TestEnv.TempDir("onnx-shapes");
        foreach (var (model, name, shape) in new[] { (tokens, "tokens", new long[] { 2, 3, 12 }), (softmax11, "softmax11", [2, 4, 6, 5]) })
        {
            var path = Path.Combine(root, name + ".onnx");
            File.WriteAllBytes(path, model.ToByteArray());
            using var scope = NewDisposeScope();
            using var net = OnnxNetwork.Load(path);
            var y = net.forward(tensor(input, [2, 4, 6, 5]));
            Assert.Equal(shape, y.shape);
            AssertClose(OnnxRuntime(model, input, [2, 4, 6, 5]), y.data<float>().ToArray());
        }
    }

    /// <summary>The ImageNet ResNet-18 of ML.NET's featurizer package (a CNTK export, opset 8), from the NuGet cache.</summary>
    internal static string ResNet18Onnx => Path.Combine(Platform.TorchNative.NuGetPackages(), "microsoft.ml.dnnimagefeaturizer.resnet18",
        "0.23.1", "tools", "DnnImageModels", "ResNet18Onnx", "ResNet18.onnx");

    [Fact]
    public void ThePretrainedResNet18ImportsAndGivesOnnxRuntimesFeatures()
    {
        var model = ModelProto.Parser.ParseFrom(File.ReadAllBytes(ResNet18Onnx));
        // BGR pixels in 0..255 less the mean image, as its preprocessing graph gives them: a real photo, resized.
        using var photo = Podium.Data.ImageDecoder.Read(Directory.GetFiles(Path.Combine(TestEnv.Datasets, "flowers", "daisy")).Order()
            .First(), 3);
        using var resized = photo.Resize(new OpenCvSharp.Size(224, 224));
        var input = new float[3 * 224 * 224];
        float[] mean = [103.1f, 115.9f, 123.2f];
        for (int c = 0; c < 3; c++)
            for (int y = 0; y < 224; y++)
                for (int x = 0; x < 224; x++)
                    input[(c * 224 + y) * 224 + x] = resized.At<OpenCvSharp.Vec3b>(y, x)[2 - c] - mean[c]; // RGB decoded: BGR here
        var expected = OnnxRuntime(model, input, [1, 3, 224, 224], model.Graph.Input[0].Name);

        using var scope = NewDisposeScope();
        var net = OnnxNetwork.Load(ResNet18Onnx);
        net.eval();
        float[] actual;
        using (no_grad()) actual = net.forward(tensor(input, [1, 3, 224, 224])).data<float>().ToArray();
        Assert.Equal(512, actual.Length);
        Assert.True(expected.Max() > 1, "features of a real photo");
        AssertClose(expected, actual);
        Assert.Equal(66, net.parameters().Count()); // 22 convolutions (no biases), 22 batch norms' scale and bias
        Assert.Equal(44, net.buffers().Count()); // their running statistics
    }

    [Fact]
    public void FilesThatCannotBeImportedSayWhyInOneLine()
    {
        var root = TestEnv.TempDir("onnx-bad");
        string Write(string name, byte[] bytes)
        {
            var path = Path.Combine(root, name);
            File.WriteAllBytes(path, bytes);
            return path;
        }
        string Error(string path) => Assert.Throws<PodiumException>(() => OnnxNetwork.Load(path)).Message;

        var text = Write("text.onnx", "this is not a model\n"u8.ToArray());
        Assert.StartsWith($"{text}: not an ONNX model", Error(text));
        var whole = SmallCnn().ToByteArray();
        var cut = Write("cut.onnx", whole[..(whole.Length / 2)]);
        Assert.StartsWith($"{cut}: not an ONNX model, or one cut short", Error(cut));
        var lstm = Write("lstm.onnx", SmallCnn("LSTM").ToByteArray());
        var unsupported = Error(lstm);
        Assert.True(unsupported.StartsWith($"{lstm}: node 'fc' uses the operator LSTM, which Podium does not import (it imports " +
            "Add, AveragePool, BatchNormalization,", StringComparison.Ordinal), unsupported);
        // External data: read from the file beside the model; missing, one line.
        var external = SmallCnn();
        var c1 = external.Graph.Initializer[0];
        var values = c1.FloatData.ToArray();
        var bytes = values.SelectMany(BitConverter.GetBytes).ToArray();
        c1.FloatData.Clear();
        c1.DataLocation = TensorProto.Types.DataLocation.External;
        c1.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" });
        c1.ExternalData.Add(new StringStringEntryProto { Key = "offset", Value = "16" });
        var ext = Write("external.onnx", external.ToByteArray());
        Assert.Equal($"{ext}: initializer 'c1.w' keeps its data in {Path.Combine(root, "weights.bin")}, which is missing; keep the " +
            "external data file beside the .onnx file", Error(ext));
        Write("weights.bin", [.. new byte[16], .. bytes]);
        using (var imported = OnnxNetwork.Load(ext))
            Assert.Equal(values, imported.Weights["c1.w"].data<float>().ToArray());
        Assert.Equal($"{Path.Combine(root, "none.onnx")}: ONNX model not found", Error(Path.Combine(root, "none.onnx")));
    }
}
