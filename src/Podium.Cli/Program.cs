using Podium.Cli;
using Spectre.Console.Cli;

var app = new CommandApp();
app.Configure(c =>
{
    c.SetApplicationName("podium");
    c.AddCommand<QuickstartCommand>("quickstart").WithDescription("Generate a synthetic dataset, train, evaluate, predict and write a submission and report.");
    c.AddCommand<TrainCommand>("train").WithDescription("Train a model from a YAML config.").WithExample("train", "configs/flowers_resnet18.yaml", "--set", "train.epochs=3");
    c.AddCommand<EvaluateCommand>("evaluate").WithDescription("Evaluate a run's best model on its validation split or on other labelled data.");
    c.AddCommand<PredictCommand>("predict").WithDescription("Predict images with a run's best model and write a submission CSV.");
});
return app.Run(args);
