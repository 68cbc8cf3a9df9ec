using SamAdapt.Data;
using SamAdapt.Imaging;
using SamAdapt.Onnx;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Tests.Data;
using SamAdapt.Tests.Imaging;
using SamAdapt.Tests.Weights;
using SamAdapt.Weights;
using SkiaSharp;
using Xunit.Abstractions;

namespace SamAdapt.Tests.Fuzz;

/// <summary>
/// Thousands of seeded mutations (byte flips, forged integers, truncations, insertions, deletions, duplicated
/// chunks) of each file type SamAdapt reads, loaded through the public path a user takes. Every case must
/// load or be refused with the project's own exception naming the file, within a time bound; the failure
/// message gives the seed and case to reproduce it (see <see cref="FuzzRunner"/>).
/// </summary>
[Collection(FuzzCollection.Name)]
public class FileFuzzTests(ITestOutputHelper output)
{
    const int Cases = 2000;
    static readonly TimeSpan PerCase = TimeSpan.FromSeconds(20);

    static SamConfig MiniConfig => SamConfig.Load(Path.Combine(TestPaths.MiniFixture, "config.json"));

    void Check(FuzzRunner.Outcome outcome)
    {
        output.WriteLine(outcome.ToString());
        Assert.True(outcome.Failures.Count == 0, outcome.ToString());
        // The mutations must reach the parsers: a fuzzer whose every case loads tests nothing.
        Assert.True(outcome.Refused >= outcome.Cases / 4, $"only {outcome.Refused} of {outcome.Cases} mutations were refused");
    }

    /// <summary>
    /// Loads weights as <see cref="SamModel.Load"/> does: read the file, then copy it into a model. Loaders that make
    /// TorchSharp tensors run one case at a time: run on two threads at once (each with its own model), they crashed
    /// the test host inside libtorch (a segfault on a reference count) after a few thousand cases, in 5 of 8 runs,
    /// and never on one thread; SamAdapt itself loads models on one thread.
    /// </summary>
    void FuzzWeights(string file, IReadOnlyList<(int, int)> structure)
    {
        using var models = new ThreadLocal<SamModel>(() => new SamModel(MiniConfig), trackAllValues: true); // one case at a time, but on pool threads
        try
        {
            var original = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, file));
            Check(FuzzRunner.Run(file, original, structure, Path.GetExtension(file), Cases, path =>
            {
                using var weights = WeightFile.Load(path);
                StateDictLoader.LoadInto(models.Value!, weights, sourceName: path);
            }, [typeof(ModelFormatException)], PerCase, parallel: false));
        }
        finally
        {
            foreach (var model in models.Values) model.Dispose();
        }
    }

    [Fact]
    public void MutatedPyTorchCheckpointsLoadOrAreRefused()
    {
        var length = (int)new FileInfo(Path.Combine(TestPaths.MiniFixture, "sam.pth")).Length;
        // data.pkl is the first zip entry (about 32 KB); the central directory is at the end.
        FuzzWeights("sam.pth", [(0, 32 * 1024), (length - 12 * 1024, 12 * 1024)]);
    }

    [Fact]
    public void MutatedCheckpointPicklesInValidZipsLoadOrAreRefused()
    {
        // The zip CRC refuses most byte-level mutations of data.pkl before it is parsed; here the mutated pickle
        // goes into a well-formed archive with the fixture's storages, so that the pickle reader sees it.
        var entries = TorchZip.ReadAll(Path.Combine(TestPaths.MiniFixture, "sam.pth"));
        var pickleName = entries.Keys.Single(k => k.EndsWith("/data.pkl", StringComparison.Ordinal));
        using var models = new ThreadLocal<SamModel>(() => new SamModel(MiniConfig), trackAllValues: true); // one case at a time, but on pool threads
        try
        {
            Check(FuzzRunner.Run("sam.pth data.pkl", entries[pickleName], [], ".pth", Cases, path =>
            {
                using var weights = WeightFile.Load(path);
                StateDictLoader.LoadInto(models.Value!, weights, sourceName: path);
            }, [typeof(ModelFormatException)], PerCase,
            (pickle, path, _) => TorchZip.WriteEntries(path, entries.Select(e => e.Key == pickleName ? KeyValuePair.Create(e.Key, pickle) : e)), parallel: false));
        }
        finally
        {
            foreach (var model in models.Values) model.Dispose();
        }
    }

    [Fact]
    public void MutatedSafetensorsLoadOrAreRefused()
    {
        var bytes = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam.safetensors"));
        int header = 8 + (int)BitConverter.ToUInt64(bytes, 0);
        FuzzWeights("sam.safetensors", [(0, header)]);
    }

    static IReadOnlyList<(int, int)> OnnxStructure(int length) => [(0, 16 * 1024), (length - 8 * 1024, 8 * 1024)];

    [Fact]
    public void MutatedOnnxDecodersImportOrAreRefused()
    {
        var config = MiniConfig;
        var original = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"));
        Check(FuzzRunner.Run("sam_decoder.onnx (importer)", original, OnnxStructure(original.Length), ".onnx", Cases, path =>
        {
            using var weights = SamDecoderOnnxImporter.Import(path);
            using var decoder = SamDecoderModel.FromStateDict(config, weights, path);
        }, [typeof(ModelFormatException)], PerCase, parallel: false));
    }

    [Fact]
    public void MutatedOnnxDecodersOpenInOnnxRuntimeOrAreRefused()
    {
        var original = File.ReadAllBytes(Path.Combine(TestPaths.MiniFixture, "sam_decoder.onnx"));
        Check(FuzzRunner.Run("sam_decoder.onnx (ONNX Runtime)", original, OnnxStructure(original.Length), ".onnx", Cases, path =>
        {
            using var decoder = new OnnxSamDecoder(path, threads: 1);
        }, [typeof(ModelFormatException)], PerCase));
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpg")]
    [InlineData("tif")]    // ImageSharp's TIFF decoder: 8-bit RGB, Deflate
    [InlineData("tif16")]  // ImageSharp's TIFF decoder: 16-bit grey, uncompressed
    [InlineData("png16")]  // ImageSharp's PNG decoder: 16-bit RGB
    public void MutatedImagesDecodeOrAreRefused(string format)
    {
        var dir = TestPaths.NewTempDirectory();
        var extension = format.StartsWith("tif") ? ".tif" : "." + format[..3];
        var imagePath = Path.Combine(dir, "image" + extension);
        WriteOriginal(format, imagePath);
        var original = File.ReadAllBytes(imagePath);
        // Half the PNG cases get their chunk CRCs repaired, so that the mutations reach the header and pixel decoding.
        Action<byte[], string, int>? write = extension == ".png"
            ? (bytes, path, caseIndex) => File.WriteAllBytes(path, caseIndex % 2 == 0 ? PngChunks.WithValidCrcs(bytes) : bytes)
            : null;
        Check(FuzzRunner.Run("image" + extension, original, [], extension, Cases, path =>
        {
            RgbImage.Load(path);
            MaskReader.Read(path);
            // The same file as the mask of a one-sample dataset whose image is the unmutated original.
            var dataset = Path.Combine(Path.GetDirectoryName(path)!, "dataset");
            Directory.CreateDirectory(Path.Combine(dataset, "images"));
            Directory.CreateDirectory(Path.Combine(dataset, "masks"));
            var name = Path.GetFileName(path);
            File.WriteAllBytes(Path.Combine(dataset, "images", name), original);
            File.Copy(path, Path.Combine(dataset, "masks", name), overwrite: true);
            try { SegmentationDataset.Load(dataset, new SegmentationDatasetOptions { Layout = DatasetLayout.Pairs }); }
            finally { Directory.Delete(dataset, recursive: true); }
        }, [typeof(ImageFormatException), typeof(DatasetException)], PerCase, write));
    }

    /// <summary>The small image whose mutations a fuzz case decodes, one per decoder path.</summary>
    static void WriteOriginal(string format, string path)
    {
        const int width = 24, height = 16;
        var random = new Random(format.Length);
        ushort[] Samples(int channels, int max) => Enumerable.Range(0, width * height * channels).Select(_ => (ushort)random.Next(max)).ToArray();
        switch (format)
        {
            case "tif":
                HandMadeTiff.Write(path, [new HandMadeTiff.Page(width, height, 3, 8, Samples(3, 256))], deflate: true);
                break;
            case "tif16":
                HandMadeTiff.Write(path, [new HandMadeTiff.Page(width, height, 1, 16, Samples(1, 65536))]);
                break;
            case "png16":
                var samples = Samples(3, 65536);
                HandMadePng.Write(path, width, height, 16, HandMadePng.ColorType.Rgb, Enumerable.Range(0, height)
                    .Select(y => samples.Skip(y * width * 3).Take(width * 3).SelectMany(v => new[] { (byte)(v >> 8), (byte)v }).ToArray()).ToArray());
                break;
            default:
                TestImages.WriteRgb(path, width, height, new SKColor(30, 120, 40), SKColors.White);
                break;
        }
    }
}

/// <summary>The fuzz tests use every core; they run one at a time, not beside each other.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FuzzCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Fuzz";
}
