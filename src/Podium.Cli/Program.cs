using Podium.Cli;

// The library reports long work to a sink and never writes to the console itself; the command shows it.
Podium.Platform.WorkProgress.Sink = new ConsoleWorkProgress();
var app = PodiumApp.Create();
// Spectre.Console.Cli allows no one-letter long option; accept "--n 16" and "--k 5" (as documented) for "-n 16" and "-k 5".
return app.Run(args.Select(a => a is "--n" or "--k" ? a[1..] : a));
