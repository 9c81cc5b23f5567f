using Podium.Config;

namespace Podium.Augment;

/// <summary>The pipelines a config describes: augment.train, augment.val (a resize to data.img_size by default) and the test-time views of
/// augment.tta.</summary>
public static class Pipelines
{
    /// <summary>The validation pipeline: augment.val (a resize to img_size when empty) with the config's normalisation.</summary>
    public static Pipeline Val(PodiumConfig config) => Build(config, config.Augment.Val, "augment.val");

    /// <summary>One augment section's pipeline (an empty augment.val is a resize to img_size) with the config's normalisation.</summary>
    public static Pipeline Build(PodiumConfig config, IReadOnlyList<object> items, string section)
    {
        var d = config.Data;
        if (items.Count == 0 && section != "augment.train") items = ["resize"];
        return TransformRegistry.Build(items, section, d.ImgSize, d.Mean, d.Std);
    }

    /// <summary>
    /// The test-time views of <c>augment.tta</c>: the val pipeline followed by each view's transforms
    /// (one transform, or a list); the plain val view is not among them.
    /// </summary>
    public static List<Pipeline> TtaViews(PodiumConfig config, Pipeline val)
    {
        var views = new List<Pipeline>();
        for (int i = 0; i < config.Augment.Tta.Count; i++)
        {
            var items = config.Augment.Tta[i] is IList<object> list ? list.ToList() : [config.Augment.Tta[i]];
            var view = TransformRegistry.Build(items, $"augment.tta[{i}]", config.Data.ImgSize, config.Data.Mean, config.Data.Std);
            views.Add(new Pipeline(new Compose([val.Transforms, view.Transforms]), val.Normalize, val.Height, val.Width));
        }
        return views;
    }
}
