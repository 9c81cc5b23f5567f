using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Podium.Config;

/// <summary>A config as flat key → value pairs (train.optimizer.lr → 0.002; list items by index: augment.train[0].resize.size):
/// the hyperparameters a run store keeps and compares. Unset keys, empty sections and lists are left out.</summary>
public static class FlatConfig
{
    public static IReadOnlyDictionary<string, string> Of(PodiumConfig config) => Of(ConfigLoader.ToYaml(config));

    public static IReadOnlyDictionary<string, string> Of(string yaml)
    {
        var flat = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var stream = new YamlStream();
        using (var reader = new StringReader(yaml)) stream.Load(reader);
        if (stream.Documents.Count > 0) Walk(stream.Documents[0].RootNode, "", flat);
        return flat;
    }

    private static void Walk(YamlNode node, string key, IDictionary<string, string> flat)
    {
        switch (node)
        {
            case YamlMappingNode map:
                foreach (var (k, v) in map.Children) Walk(v, key.Length == 0 ? k.ToString() : $"{key}.{k}", flat);
                break;
            case YamlSequenceNode list:
                for (var i = 0; i < list.Children.Count; i++) Walk(list.Children[i], string.Create(CultureInfo.InvariantCulture,
                    $"{key}[{i}]"), flat);
                break;
            case YamlScalarNode { Value: { Length: > 0 } value }: // an unset (null) key is left out
                flat[key] = value;
                break;
        }
    }
}
