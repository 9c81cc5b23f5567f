using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Podium.Tests;

/// <summary>
/// No call in Podium's code hands libtorch a temporary Scalar (issue 15: the implicit-Scalar race). Read from the
/// compiled IL: a conversion to TorchSharp.Scalar, or a TorchSharp method that makes one and never disposes it (such as
/// <c>Tensor.add(Tensor)</c> with its implicit alpha, or the tensor operators with numbers), found by following
/// TorchSharp's own calls; or a TorchSharp layer whose forward does (its BatchNorm2d counts batches with <c>add_(1)</c>: a
/// CRNN built with it failed a training with "Unknown scalar type."). Podium passes <see cref="Platform.Scalars"/> or a
/// Scalar it disposes after the call instead, and builds its own <see cref="Models.BatchNorm"/>.
/// </summary>
public class ScalarExposureTests
{
    /// <summary>Calls made once while a model is built, before any other thread runs: a collection cannot interrupt them.</summary>
    private static readonly string[] BuildTimeOnly = ["TorchSharp.torchvision/models::", "TorchSharp.torch/nn/init::"];

    [Fact]
    public void PodiumNeverHandsLibtorchATemporaryScalar()
    {
        var dir = AppContext.BaseDirectory;
        using var torchSharp = ModuleDefinition.ReadModule(Path.Combine(dir, "TorchSharp.dll"));
        var leaky = LeakyMethods(torchSharp);
        // the analysis sees the known case
        Assert.Contains(leaky, m => m.StartsWith("TorchSharp.torch/Tensor::add(TorchSharp.torch/Tensor)", StringComparison.Ordinal));

        using var podium = ModuleDefinition.ReadModule(Path.Combine(dir, "Podium.dll"));
        var found = new List<string>();
        foreach (var type in podium.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
                foreach (var call in method.Body.Instructions.Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj))
                {
                    if (call.Operand is not MethodReference target) continue;
                    var key = Key(target);
                    bool conversion = target.DeclaringType.FullName == "TorchSharp.Scalar" && target.Name == "op_Implicit";
                    var layer = LeakyForward(torchSharp, leaky, call.OpCode.Code == Code.Newobj ? target.DeclaringType
                        : target.Name == ".ctor" ? null : target.ReturnType);
                    if ((conversion || leaky.Contains(key) || layer is not null) && !BuildTimeOnly.Any(key.StartsWith))
                        found.Add($"{type.FullName}::{method.Name}: {(conversion ? "implicit Scalar" : layer ?? key)}");
                }
        Assert.True(found.Count == 0, $"{found.Count} calls hand libtorch a temporary Scalar:\n" + string.Join("\n",
            found.Distinct().Order()));
    }

    /// <summary>TorchSharp methods that make a Scalar and never dispose it, directly or through the TorchSharp methods they call.</summary>
    private static HashSet<string> LeakyMethods(ModuleDefinition torchSharp)
    {
        var calls = new Dictionary<string, List<string>>();
        var leaky = new HashSet<string>();
        foreach (var type in torchSharp.GetTypes())
            foreach (var method in type.Methods.Where(m => m.HasBody))
            {
                var key = Key(method);
                var targets = method.Body.Instructions.Where(i => i.OpCode.Code is Code.Call or Code.Callvirt or Code.Newobj)
                    .Select(i => i.Operand).OfType<MethodReference>().ToList();
                bool makes = targets.Any(t => t.DeclaringType.FullName == "TorchSharp.Scalar" && t.Name == "op_Implicit"
                    || t.DeclaringType.FullName == "TorchSharp.ScalarExtensionMethods" && t.Name == "ToScalar");
                bool disposes = targets.Any(t => t.DeclaringType.FullName == "TorchSharp.Scalar" && t.Name == "Dispose");
                if (makes && !disposes) leaky.Add(key);
                calls[key] = targets.Select(Key).ToList();
            }
        for (bool grew = true; grew;)
        {
            grew = false;
            foreach (var (method, targets) in calls)
                if (!leaky.Contains(method) && targets.Any(leaky.Contains)) grew = leaky.Add(method);
        }
        return leaky;
    }

    /// <summary>The leaky forward a TorchSharp layer of this type runs (its own or the nearest base's), or null.</summary>
    private static string? LeakyForward(ModuleDefinition torchSharp, HashSet<string> leaky, TypeReference? type)
    {
        for (var t = type is null ? null : torchSharp.GetType(type.GetElementType().FullName); t is not null;
             t = t.BaseType is null ? null : torchSharp.GetType(t.BaseType.GetElementType().FullName))
            if (t.Methods.FirstOrDefault(m => m.Name == "forward" && m.HasBody) is { } forward)
                return leaky.Contains(Key(forward)) ? $"layer {type!.FullName} runs {Key(forward)}" : null;
        return null;
    }

    private static string Key(MethodReference m) =>
        $"{m.DeclaringType.FullName}::{m.Name}({string.Join(",", m.Parameters.Select(p => p.ParameterType.FullName))})";
}
