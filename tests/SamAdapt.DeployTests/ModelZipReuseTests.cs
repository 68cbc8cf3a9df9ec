using Microsoft.ML;
using Microsoft.ML.Data;
using Xunit.Abstractions;

namespace SamAdapt.DeployTests;

/// <summary>
/// An app with only Microsoft.ML and Microsoft.ML.OnnxTransformer loads the model.zip of <c>samadapt export</c> and
/// segments images from a click, as the SamAdapt TorchSharp pipeline does.
/// </summary>
[Collection(ExportedModelCollection.Name)]
public sealed class ModelZipReuseTests(ExportedModel model, ITestOutputHelper output)
{
    /// <summary>The input row, declared as any app would: the image's RGB bytes at the start of a fixed-size buffer, its size and the click.</summary>
    public sealed class ClickInput
    {
        /// <summary>RGB bytes, row by row, then zeros up to the capacity the model was exported with.</summary>
        [VectorType(3 * ExportedModel.Capacity)]
        public byte[] Pixels { get; set; } = [];
        /// <summary>Image height.</summary>
        public int Height { get; set; }
        /// <summary>Image width.</summary>
        public int Width { get; set; }
        /// <summary>Click x in pixels.</summary>
        public float X { get; set; }
        /// <summary>Click y in pixels.</summary>
        public float Y { get; set; }
    }

    /// <summary>The output row.</summary>
    public sealed class MaskOutput
    {
        /// <summary>Height x Width booleans, row by row.</summary>
        public bool[] Mask { get; set; } = [];
        /// <summary>The mask's predicted IoU.</summary>
        public float[] Score { get; set; } = [];
    }

    static ClickInput Input(ExportedModel.Case c)
    {
        var pixels = new byte[3 * ExportedModel.Capacity];
        c.Rgb.CopyTo(pixels, 0);
        return new ClickInput { Pixels = pixels, Height = c.Height, Width = c.Width, X = c.X, Y = c.Y };
    }

    [Fact]
    public void MasksFromTheLoadedZipEqualThoseOfTheTorchSharpPipeline()
    {
        var mlContext = new MLContext(seed: 0);
        var transformer = mlContext.Model.Load(model.ZipPath, out _);
        using var engine = mlContext.Model.CreatePredictionEngine<ClickInput, MaskOutput>(transformer);
        long agreeing = 0, total = 0;
        foreach (var c in model.Cases)
        {
            var mask = engine.Predict(Input(c)).Mask;

            Assert.Equal(c.Width * c.Height, mask.Length);
            int same = mask.Zip(c.ExpectedMask).Count(p => p.First == p.Second);
            double foreground = c.ExpectedMask.Count(m => m) / (double)mask.Length;
            output.WriteLine($"{c.Name} click ({c.X}, {c.Y}): {same} of {mask.Length} pixels agree ({same / (double)mask.Length:P3}); expected foreground {foreground:P1}");
            Assert.True(same >= 0.999 * mask.Length, $"{c.Name}: only {same} of {mask.Length} pixels agree");
            agreeing += same;
            total += mask.Length;
        }
        Assert.Contains(model.Cases, c => c.ExpectedMask.Any(m => m) && c.ExpectedMask.Any(m => !m));
        output.WriteLine($"all cases: {agreeing} of {total} pixels agree ({agreeing / (double)total:P4})");
    }

    [Fact]
    public void AClickElsewhereGivesAnotherMaskOfTheSameSize()
    {
        var mlContext = new MLContext(seed: 0);
        var transformer = mlContext.Model.Load(model.ZipPath, out _);
        using var engine = mlContext.Model.CreatePredictionEngine<ClickInput, MaskOutput>(transformer);
        var c = model.Cases[0];
        var first = engine.Predict(Input(c)).Mask;
        var corner = engine.Predict(Input(c with { X = 1, Y = 1 }));

        Assert.Equal(first.Length, corner.Mask.Length);
        Assert.NotEqual(first, corner.Mask);
        Assert.Single(corner.Score);
    }

    [Fact]
    public void TheAppLoadsNeitherSamAdaptNorTorchSharp()
    {
        var mlContext = new MLContext(seed: 0);
        var transformer = mlContext.Model.Load(model.ZipPath, out var schema);
        using var engine = mlContext.Model.CreatePredictionEngine<ClickInput, MaskOutput>(transformer);
        engine.Predict(Input(model.Cases[0]));

        Assert.Equal(new[] { "Pixels", "Height", "Width", "X", "Y" }, schema.Select(c => c.Name));
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetName().Name ?? "").ToList();
        Assert.DoesNotContain(loaded, n => n.StartsWith("TorchSharp", StringComparison.Ordinal) || n == "SamAdapt" || n == "SamAdapt.Cli");
        Assert.Empty(Directory.GetFiles(AppContext.BaseDirectory, "SamAdapt.dll").Concat(Directory.GetFiles(AppContext.BaseDirectory, "TorchSharp*.dll")));
    }
}
