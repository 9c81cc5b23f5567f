namespace Podium.Platform;

/// <summary>
/// The progress sink long library work reports to. The library never writes to the console: by default progress goes
/// nowhere, and a host (the podium command) installs its own display once at start-up.
/// </summary>
public static class WorkProgress
{
    private sealed class Silent : IWorkProgress
    {
        public T Run<T>(string title, int total, Func<Action<int>, T> work) => work(_ => { });
    }

    public static IWorkProgress Sink { get; set; } = new Silent();

    public static T Run<T>(string title, int total, Func<Action<int>, T> work) => Sink.Run(title, total, work);
}
