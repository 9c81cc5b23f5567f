namespace Podium.Platform;

/// <summary>Where long work that is not a training loop (scans, downloads, the lr range test) reports how far it got.</summary>
public interface IWorkProgress
{
    /// <summary>Runs <paramref name="work"/>, which reports its count of done units (of <paramref name="total"/>) from any
    /// thread.</summary>
    T Run<T>(string title, int total, Func<Action<int>, T> work);
}
