using Mono.Cecil;

namespace Podium.Tests;

/// <summary>
/// The library's layers, read from its compiled IL: every namespace sits in one layer and uses only lower ones (so no
/// namespace cycle is possible), and the library never writes to the console (the CLI shows what it reports).
/// </summary>
public class ArchitectureTests
{
    /// <summary>The layers, lowest first (README "Layout" draws them). A new namespace is placed here when it is made.</summary>
    public static readonly string[][] Layers =
    [
        ["Podium", "Podium.Build"],
        ["Podium.Platform", "Podium.IO"],
        ["Podium.Config"],
        ["Podium.Augment"],
        ["Podium.Data"],
        ["Podium.Models.Onnx", "Podium.Models.Weights"],
        ["Podium.Models", "Podium.Quickstart"],
        ["Podium.Evaluation"],
        ["Podium.Training"],
        ["Podium.Reporting"],
        ["Podium.Eda", "Podium.Ocr"],
        ["Podium.Tracking"],
        ["Podium.Tasks"],
        ["Podium.Tasks.Classification", "Podium.Tasks.Detection", "Podium.Tasks.Recognition", "Podium.Tasks.SelfSupervised"],
        ["Podium.Tasks.Anomaly"], // its labelled data is split as classification splits it
        ["Podium.Runs"],
        ["Podium.Tuning"],
        ["Podium.Notebooks"], // what notebooks show of everything below
    ];

    [Fact]
    public void EveryNamespaceUsesOnlyLowerLayers()
    {
        var layer = Layers.SelectMany((names, i) => names.Select(n => (n, i))).ToDictionary(x => x.n, x => x.i);
        var edges = NamespaceEdges();
        var unplaced = edges.Keys.Concat(edges.Values.SelectMany(v => v.Keys)).Distinct().Where(n => !layer.ContainsKey(n)).ToList();
        Assert.True(unplaced.Count == 0, "namespaces not placed in a layer: " + string.Join(", ", unplaced));
        var upward = edges.SelectMany(e => e.Value.Where(to => layer[to.Key] >= layer[e.Key]).Select(to
            => $"{e.Key} -> {to.Key} ({to.Value})")).ToList();
        Assert.True(upward.Count == 0, "uses of a namespace in the same or a higher layer:\n" + string.Join("\n", upward));
    }

    [Theory]
    [InlineData("Podium.dll")]
    [InlineData("Podium.Dashboard.dll")]
    public void TheLibraryNeverWritesToTheConsole(string assembly)
    {
        using var podium = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, assembly));
        Assert.DoesNotContain(podium.AssemblyReferences, r => r.Name.StartsWith("Spectre.Console", StringComparison.Ordinal));
        var uses = podium.GetTypes().SelectMany(t => t.Methods.Where(m => m.HasBody).SelectMany(m => m.Body.Instructions
                .Select(i => i.Operand).OfType<MemberReference>()
                .Where(r => r.DeclaringType?.FullName == "System.Console")
                .Select(r => $"{t.FullName}::{m.Name} uses Console.{r.Name}")))
            .Distinct().ToList();
        Assert.True(uses.Count == 0, string.Join("\n", uses));
    }

    /// <summary>For each Podium namespace, the other Podium namespaces its types use (with one example use each).</summary>
    private static Dictionary<string, Dictionary<string, string>> NamespaceEdges()
    {
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Podium.dll"));
        var edges = new Dictionary<string, Dictionary<string, string>>();
        static string Outer(TypeReference t)
        {
            while (t.DeclaringType is not null) t = t.DeclaringType;
            return t.Namespace;
        }
        void Add(string from, string where, TypeReference? to)
        {
            switch (to)
            {
                case null: return;
                case GenericInstanceType g:
                    Add(from, where, g.ElementType);
                    foreach (var a in g.GenericArguments) Add(from, where, a);
                    return;
                case TypeSpecification spec:
                    Add(from, where, spec.ElementType);
                    return;
                case GenericParameter:
                    return;
            }
            if (to.Scope is AssemblyNameReference) return; // another assembly
            var ns = Outer(to);
            if (ns == from || !ns.StartsWith("Podium", StringComparison.Ordinal)) return;
            if (!edges.TryGetValue(from, out var targets)) edges[from] = targets = [];
            targets.TryAdd(ns, $"{where} uses {to.FullName}");
        }
        foreach (var t in module.GetTypes())
        {
            var from = Outer(t);
            if (!from.StartsWith("Podium", StringComparison.Ordinal)) continue;
            edges.TryAdd(from, []);
            Add(from, t.FullName, t.BaseType);
            foreach (var i in t.Interfaces) Add(from, t.FullName, i.InterfaceType);
            foreach (var f in t.Fields) Add(from, t.FullName, f.FieldType);
            foreach (var m in t.Methods)
            {
                Add(from, t.FullName, m.ReturnType);
                foreach (var p in m.Parameters) Add(from, t.FullName, p.ParameterType);
                if (!m.HasBody) continue;
                foreach (var v in m.Body.Variables) Add(from, t.FullName, v.VariableType);
                foreach (var ins in m.Body.Instructions)
                    switch (ins.Operand)
                    {
                        case MethodReference mr:
                            Add(from, t.FullName, mr.DeclaringType);
                            Add(from, t.FullName, mr.ReturnType);
                            foreach (var p in mr.Parameters) Add(from, t.FullName, p.ParameterType);
                            break;
                        case FieldReference fr:
                            Add(from, t.FullName, fr.DeclaringType);
                            Add(from, t.FullName, fr.FieldType);
                            break;
                        case TypeReference tr:
                            Add(from, t.FullName, tr);
                            break;
                    }
            }
        }
        return edges;
    }
}
