using Podium.Platform;

namespace Podium.Data;

/// <summary>
/// The files below folders, each real folder read once: a link back to a folder already read (<c>loop -> .</c>, <c>up -> ../rose</c>)
/// is skipped with a line saying so, so looping links can neither hang a walk nor count an image twice. One walk shares its set
/// of folders read across the roots it is given (the class folders of a dataset).
/// </summary>
public sealed class FolderWalk
{
    /// <summary>Why a link was left out (one text, so the skip summary counts them together).</summary>
    public const string LinkProblem = "a link to a folder read already (its images are read once)";

    private readonly HashSet<string> _read = new(StringComparer.Ordinal);
    private readonly List<SkippedInput> _skipped;

    /// <param name="skipped">Where the links left out are reported.</param>
    public FolderWalk(List<SkippedInput> skipped) => _skipped = skipped;

    /// <summary>Claims <paramref name="root"/> for this walk before its files are listed (so links into it from elsewhere are
    /// skipped); false, with a skip line, when another root already claimed the same real folder.</summary>
    public bool Claim(string root)
    {
        var real = RealPath.Of(root);
        if (real is null)
        {
            _skipped.Add(new SkippedInput(root, "unreadable folder (a broken or looping link?)"));
            return false;
        }
        if (_read.Add(real)) return true;
        _skipped.Add(new SkippedInput(root, LinkProblem));
        return false;
    }

    /// <summary>Every file below <paramref name="root"/>, in ordinal order of their paths; roots are claimed first by the caller
    /// where several are walked.</summary>
    public string[] Files(string root)
    {
        var files = new List<string>();
        if (RealPath.Of(root) is { } real) _read.Add(real);
        var pending = new Stack<string>();
        pending.Push(root);
        while (pending.Count > 0)
        {
            var dir = pending.Pop();
            try
            {
                var here = Directory.GetFiles(dir);
                var subs = Directory.GetDirectories(dir);
                files.AddRange(here);
                foreach (var sub in subs.Where(Claim)) pending.Push(sub);
            }
            catch (Exception e) when (e is UnauthorizedAccessException or IOException)
            {
                _skipped.Add(new SkippedInput(dir, $"unreadable folder ({e.Message})"));
            }
        }
        return [.. files.Order(StringComparer.Ordinal)];
    }
}
