using System.CommandLine;
using System.Text.Json;
using SamAdapt.Cli.Commands;
using SamAdapt.Cli.Experiments;
using SamAdapt.Data;
using SamAdapt.Deployment;
using SamAdapt.Imaging;
using SamAdapt.Sam.Modeling;
using Xunit;

namespace SamAdapt.Tests.Cli.Experiments;

/// <summary>
/// <c>samadapt compare</c> end to end on 6 tiny synthetic plants with the sam-mini-256 fixture (D=32, G=16,
/// so the adapter maps the U-Net's 32x64x64 features to 32x16x16), one epoch each.
/// </summary>
public sealed class CompareExperimentTests
{
    static readonly Lazy<string> TinyData = new(() =>
    {
        var dir = TestPaths.NewTempDirectory();
        SyntheticPlants.Write(dir, 6, seed: 3);
        return dir;
    });

    /// <summary>The tiny run's command line; each (option, value) in <paramref name="overrides"/> replaces or adds that option.</summary>
    static string[] TinyArgs(string outDir, params (string Option, string Value)[] overrides)
    {
        var options = new List<(string Option, string Value)>
        {
            ("--data", TinyData.Value), ("--sam", TestPaths.MiniFixture), ("--image-size", "128"), ("--unet-epochs", "1"),
            ("--adapter-epochs", "1"), ("--test-fraction", "0.34"), ("--seed", "5"), ("--out", outDir),
        };
        foreach (var o in overrides)
        {
            options.RemoveAll(x => x.Option == o.Option);
            options.Add(o);
        }
        return ["compare", .. options.SelectMany(o => new[] { o.Option, o.Value })];
    }

    sealed class RecordingFigures : IFigureWriter
    {
        public List<(string Path, string Title, int Pixels, int TruthCount, int PredictedCount)> Overlays { get; } = new();
        public List<(string Path, IReadOnlyList<(string Label, double Value)> Bars, IReadOnlyList<(string Label, double Value)>? Reference)> Charts { get; } = new();

        public void SaveOverlay(RgbImage image, bool[] truth, bool[] predicted, string title, string path) =>
            Overlays.Add((path, title, image.Width * image.Height, truth.Length, predicted.Length));

        public void SaveBarChart(IReadOnlyList<(string Label, double Value)> bars, string title, string path, IReadOnlyList<(string Label, double Value)>? reference = null) =>
            Charts.Add((path, bars, reference));
    }

    static (int Code, string Output, string Error) Run(IFigureWriter? figures, string[] args)
    {
        var root = new RootCommand { CompareCommand.Create(figures) };
        var output = new StringWriter();
        var error = new StringWriter();
        int code = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (code, output.ToString(), error.ToString());
    }

    static readonly string[] MetricNames = ["mean_iou", "micro_iou", "dice", "precision", "recall"];

    [Fact]
    public void Compare_WritesResultsJsonWithTheWholeSchema_ReportTable_AndFigures()
    {
        var outDir = TestPaths.NewTempDirectory();
        var figures = new RecordingFigures();
        var (code, output, error) = Run(figures, TinyArgs(outDir));
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        Assert.Contains("U-Net epoch 1/1", output);
        Assert.Contains("adapter epoch 1/1", output);
        Assert.Contains("encoding image 2/2", output);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var root = json.RootElement;
        var dataset = root.GetProperty("dataset");
        Assert.Equal(Path.GetFullPath(TinyData.Value).TrimEnd('/'), Path.GetFullPath(dataset.GetProperty("path").GetString()!).TrimEnd('/'));
        Assert.Equal("cvppp", dataset.GetProperty("layout").GetString());
        Assert.Equal(6, dataset.GetProperty("images").GetInt32());
        Assert.Equal(4, dataset.GetProperty("train").GetInt32());
        Assert.Equal(2, dataset.GetProperty("test").GetInt32());
        Assert.Equal(TestPaths.MiniFixture, root.GetProperty("sam_model").GetString());
        using (var model = AdaptedModel.Load(Path.Combine(outDir, CompareExperiment.ModelFolderName)))
        {
            Assert.Equal(Path.GetFullPath(TestPaths.MiniFixture), model.SamModel);
            Assert.Equal(128, model.UNet.Config.ImageSize);
            Assert.Equal((32, 16), (model.Adapter.Config.OutChannels, model.Adapter.Config.SamGrid));
        }

        var methods = root.GetProperty("methods");
        var all = new[]
        {
            methods.GetProperty("sam").GetProperty("oracle"), methods.GetProperty("sam").GetProperty("predicted"),
            methods.GetProperty("unet"),
            methods.GetProperty("adapted").GetProperty("oracle"), methods.GetProperty("adapted").GetProperty("predicted"),
        };
        foreach (var m in all)
        {
            foreach (var name in MetricNames)
            {
                double value = m.GetProperty(name).GetDouble();
                Assert.InRange(value, 0.0, 1.0);
            }
            Assert.Equal(2, m.GetProperty("per_image").GetArrayLength());
            Assert.Equal(m.GetProperty("mean_iou").GetDouble(), m.GetProperty("per_image").EnumerateArray().Average(p => p.GetProperty("iou").GetDouble()), 12);
        }
        // Oracle selection picks the best of the same 3 masks per image, so it is never below predicted selection.
        Assert.True(all[0].GetProperty("mean_iou").GetDouble() >= all[1].GetProperty("mean_iou").GetDouble());
        Assert.True(all[3].GetProperty("mean_iou").GetDouble() >= all[4].GetProperty("mean_iou").GetDouble());

        var timings = root.GetProperty("timings_s");
        double parts = 0;
        foreach (var name in new[] { "unet_train", "adapter_train", "sam_encode", "evaluate" })
        {
            double seconds = timings.GetProperty(name).GetDouble();
            Assert.True(seconds > 0, $"{name} = {seconds}");
            parts += seconds;
        }
        Assert.True(timings.GetProperty("total").GetDouble() >= parts);
        Assert.Equal(128, root.GetProperty("settings").GetProperty("image_size").GetInt32());
        Assert.Equal(4, root.GetProperty("settings").GetProperty("adapter_images").GetInt32());
        Assert.True(root.GetProperty("threads").GetInt32() > 0);
        Assert.False(string.IsNullOrEmpty(root.GetProperty("versions").GetProperty("TorchSharp").GetString()));

        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| method | selection | paper's protocol | mean IoU | micro IoU | Dice | precision | recall |", report);
        Assert.Contains($"| U-Net | - | yes | {all[2].GetProperty("mean_iou").GetDouble().ToString("F3", System.Globalization.CultureInfo.InvariantCulture)} |", report);
        Assert.Contains("0.573", report);
        Assert.Contains("0.762", report);
        Assert.Contains("TorchSharp", report);

        var compared = CompareMethod.Of(CompareMethod.DefaultFamilies);
        Assert.DoesNotContain(compared, m => m.Family == CompareMethod.AdaptedDecoderFamily); // beyond the paper: only when asked for
        var expected = compared.SelectMany(m => new[] { $"{m.Key}-best.png", $"{m.Key}-worst.png" }).Order().ToArray();
        Assert.Equal(expected, figures.Overlays.Select(o => Path.GetFileName(o.Path)).Order().ToArray());
        Assert.All(figures.Overlays, o =>
        {
            Assert.Equal(Path.Combine(outDir, "figures"), Path.GetDirectoryName(o.Path));
            Assert.Equal(o.Pixels, o.TruthCount);
            Assert.Equal(o.Pixels, o.PredictedCount);
        });
        var chart = Assert.Single(figures.Charts);
        Assert.Equal(compared.Count, chart.Bars.Count);
        Assert.Equal(all[2].GetProperty("mean_iou").GetDouble(), chart.Bars[2].Value, 12);
        Assert.Equal(new[] { ("SAM (oracle)", 0.573), ("U-Net", 0.710), ("adapted (oracle)", 0.762) }, chart.Reference);
    }

    [Fact]
    public void Compare_ReportsTheCalibratedRowAndTheCorrectiveClicksOfEveryMethod()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, output, error) = Run(new RecordingFigures(), TinyArgs(outDir, ("--clicks", "3")));
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var root = json.RootElement;
        var methods = root.GetProperty("methods");
        var adapted = methods.GetProperty("adapted");
        var calibrated = adapted.GetProperty("calibrated");
        foreach (var name in MetricNames) Assert.InRange(calibrated.GetProperty(name).GetDouble(), 0.0, 1.0);
        // The calibrated head chooses among the same 3 masks: never above the oracle.
        Assert.True(adapted.GetProperty("oracle").GetProperty("mean_iou").GetDouble() >= calibrated.GetProperty("mean_iou").GetDouble());
        Assert.Equal(3, root.GetProperty("settings").GetProperty("clicks").GetInt32());
        Assert.True(root.GetProperty("timings_s").GetProperty("corrective_clicks").GetDouble() > 0);

        var rows = new[]
        {
            methods.GetProperty("sam").GetProperty("oracle"), methods.GetProperty("sam").GetProperty("predicted"), methods.GetProperty("unet"),
            adapted.GetProperty("oracle"), adapted.GetProperty("predicted"), calibrated,
        };
        foreach (var m in rows)
        {
            var clicks = m.GetProperty("clicks").EnumerateArray().Select(v => v.GetDouble()).ToArray();
            Assert.Equal(3, clicks.Length);
            Assert.All(clicks, v => Assert.InRange(v, 0.0, 1.0));
            // The loop's first click is the row's own click and mask choice: the one-click evaluation's mean IoU.
            Assert.Equal(m.GetProperty("mean_iou").GetDouble(), clicks[0], 9);
            Assert.InRange(m.GetProperty("noc85").GetDouble(), 1.0, 20.0);
            Assert.InRange(m.GetProperty("noc90").GetDouble(), m.GetProperty("noc85").GetDouble(), 20.0);
        }
        var unet = rows[2].GetProperty("clicks").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.All(unet, v => Assert.Equal(unet[0], v)); // the U-Net takes no clicks

        using (var model = AdaptedModel.Load(Path.Combine(outDir, CompareExperiment.ModelFolderName)))
            Assert.NotNull(model.MaskScoreHead);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| adapted | calibrated |", report);
        Assert.Contains("| method | selection | IoU@1 | IoU@2 | IoU@3 | NoC@85 | NoC@90 |", report);
        var figure = RgbImage.Load(Path.Combine(outDir, "figures", "iou-vs-clicks.png"));
        Assert.Equal((SamAdapt.Cli.Reporting.LineChart.Width, SamAdapt.Cli.Reporting.LineChart.Height), (figure.Width, figure.Height));
    }

    [Fact]
    public void TheDecoderFineTunedMethodIsItsOwnMarkedRowWithItsOwnModel()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, output, error) = Run(new RecordingFigures(), TinyArgs(outDir, ("--methods", "unet,adapted-decoder"), ("--clicks", "2"), ("--click-images", "1")));
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        Assert.Contains("adapter + decoder epoch 1/1", output);
        Assert.DoesNotContain("SAM encoding image", output); // no SAM row was asked for

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
        var methods = json.RootElement.GetProperty("methods");
        Assert.Equal(["unet", "adapted_decoder"], methods.EnumerateObject().Select(p => p.Name));
        var tuned = methods.GetProperty("adapted_decoder");
        Assert.Equal(["oracle", "calibrated"], tuned.EnumerateObject().Select(p => p.Name));
        Assert.False(tuned.GetProperty("oracle").GetProperty("paper_protocol").GetBoolean());
        Assert.True(methods.GetProperty("unet").GetProperty("paper_protocol").GetBoolean());
        Assert.True(tuned.GetProperty("oracle").GetProperty("mean_iou").GetDouble() >= tuned.GetProperty("calibrated").GetProperty("mean_iou").GetDouble());
        // The clicks ran on the first test image only; the U-Net's flat line is over that image too.
        var unetClicks = methods.GetProperty("unet").GetProperty("clicks").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(methods.GetProperty("unet").GetProperty("per_image")[0].GetProperty("iou").GetDouble(), unetClicks[0], 12);

        Assert.False(Directory.Exists(Path.Combine(outDir, CompareExperiment.ModelFolderName)));
        using var model = AdaptedModel.Load(Path.Combine(outDir, CompareExperiment.ModelFolder(CompareMethod.AdaptedDecoderFamily)));
        Assert.NotNull(model.FineTunedMaskDecoder);
        Assert.NotNull(model.MaskScoreHead);
        var report = File.ReadAllText(Path.Combine(outDir, "report.md"));
        Assert.Contains("| adapted + decoder | oracle | no: decoder trained |", report);
    }

    [Fact]
    public void ATrainedUNetIsReusedAsItIs()
    {
        var first = TestPaths.NewTempDirectory();
        var (code, output, error) = Run(new RecordingFigures(), TinyArgs(first, ("--methods", "unet,adapted"), ("--clicks", "0")));
        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        var unetFolder = Path.Combine(first, CompareExperiment.ModelFolderName, "unet");
        var second = TestPaths.NewTempDirectory();

        (code, output, error) = Run(new RecordingFigures(), TinyArgs(second, ("--methods", "unet"), ("--clicks", "0"), ("--unet", unetFolder)));

        Assert.True(code == 0, $"exit {code}\n{error}\n{output}");
        Assert.Contains($"U-Net: using the trained U-Net in {unetFolder} (no training)", output);
        Assert.DoesNotContain("U-Net epoch", output);
        double IoU(string folder)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "results.json")));
            return json.RootElement.GetProperty("methods").GetProperty("unet").GetProperty("mean_iou").GetDouble();
        }
        Assert.Equal(IoU(first), IoU(second), 12);
    }

    [Fact]
    public void UnknownMethodsAreNamed()
    {
        var (code, _, error) = Run(null, TinyArgs(TestPaths.NewTempDirectory(), ("--methods", "sam,medsam")));
        Assert.NotEqual(0, code);
        Assert.Contains("'medsam'", error);
        Assert.Contains("adapted-decoder", error);
    }

    [Fact]
    public void TheSamadaptCommandWritesRealPngFigures()
    {
        var outDir = TestPaths.NewTempDirectory();
        var (code, _, error) = SamAdapt.Tests.Cli.CliRunner.Run(TinyArgs(outDir));
        Assert.True(code == 0, $"exit {code}: {error}");
        var chart = RgbImage.Load(Path.Combine(outDir, "figures", "mean-iou.png"));
        Assert.Equal((SamAdapt.Cli.Reporting.BarChart.Width, SamAdapt.Cli.Reporting.BarChart.Height), (chart.Width, chart.Height));
        var overlay = RgbImage.Load(Path.Combine(outDir, "figures", "adapted-oracle-best.png"));
        Assert.True(overlay.Width > overlay.Height, "the overlay shows its panels side by side");
    }

    [Fact]
    public void Run_TheSameSeedTwice_GivesTheSameNumbers()
    {
        var dataset = SegmentationDataset.Load(TinyData.Value);
        var split = DatasetSplit.TrainTest(dataset.Samples, 0.34, seed: 1);
        var info = new CompareDatasetInfo(dataset.Folder, "cvppp", dataset.Samples.Count, split.Train.Count, split.Test.Count);
        var options = new CompareOptions { SamModel = TestPaths.MiniFixture, ImageSize = 128, UNetEpochs = 1, AdapterEpochs = 2, AdapterImages = 3, Seed = 9 };

        var log = new List<string>();
        var first = new CompareExperiment(options, log: log.Add).Run(info, split, outputDirectory: null);
        var second = new CompareExperiment(options).Run(info, split, outputDirectory: null);

        Assert.Equal(3, first.AdapterTrainImages);
        // The training images beyond the adapter's calibrate its IoU head.
        Assert.Equal(split.Train.Count - 3, first.CalibrationImages);
        Assert.True(first.CalibrationImages > 0, "the tiny split must leave a training image for the calibration");
        Assert.Contains(log, l => l.StartsWith($"adapter: the IoU head is calibrated on {first.CalibrationImages} training image", StringComparison.Ordinal));
        for (int row = 0; row < first.Rows.Count; row++)
            Assert.Equal(first.Rows[row].Metrics.PerImage.Select(p => p.IoU), second.Rows[row].Metrics.PerImage.Select(p => p.IoU));
    }

    [Fact]
    public void Run_Cancelled_StopsBeforeTrainingAndWritesNothing()
    {
        var dataset = SegmentationDataset.Load(TinyData.Value);
        var split = DatasetSplit.TrainTest(dataset.Samples, 0.34, seed: 1);
        var info = new CompareDatasetInfo(dataset.Folder, "cvppp", dataset.Samples.Count, split.Train.Count, split.Test.Count);
        var log = new List<string>();
        var outDir = Path.Combine(TestPaths.NewTempDirectory(), "out");

        Assert.ThrowsAny<OperationCanceledException>(() => new CompareExperiment(
            new CompareOptions { SamModel = TestPaths.MiniFixture, ImageSize = 128, UNetEpochs = 1, AdapterEpochs = 1 }, log: log.Add)
            .Run(info, split, outDir, new CancellationToken(canceled: true)));

        Assert.DoesNotContain(log, l => l.StartsWith("U-Net epoch", StringComparison.Ordinal));
        Assert.False(Directory.Exists(outDir));
    }

    [Theory]
    [InlineData("--image-size", "100", "--image-size")]
    [InlineData("--unet-epochs", "0", "--unet-epochs")]
    [InlineData("--adapter-epochs", "-1", "--adapter-epochs")]
    [InlineData("--adapter-images", "0", "--adapter-images")]
    [InlineData("--prompt", "corner", "'centroid'")]
    [InlineData("--features", "everything", "'stacked-skips'")]
    [InlineData("--adapter", "conv3x3", "'mlp'")]
    [InlineData("--adapter-clicks", "21", "--adapter-clicks")]
    [InlineData("--click-images", "0", "--click-images")]
    [InlineData("--calibration-images", "-1", "--calibration-images")]
    [InlineData("--adapter-score-loss", "-0.5", "--adapter-score-loss")]
    [InlineData("--unet-samples", "-5", "--unet-samples")]
    public void BadArguments_AreNamed(string option, string value, string named)
    {
        var (code, _, error) = Run(null, TinyArgs(TestPaths.NewTempDirectory(), (option, value)));
        Assert.NotEqual(0, code);
        Assert.Contains(named, error);
    }

    [Fact]
    public void MissingSamModel_IsNamed()
    {
        var missing = Path.Combine(TestPaths.NewTempDirectory(), "no-such-model.pth");
        var (code, _, error) = Run(null, TinyArgs(TestPaths.NewTempDirectory(), ("--sam", missing)));
        Assert.NotEqual(0, code);
        Assert.Contains("no-such-model", error);
    }
}
