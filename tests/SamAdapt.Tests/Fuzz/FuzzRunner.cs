using System.Collections.Concurrent;
using System.Diagnostics;

namespace SamAdapt.Tests.Fuzz;

/// <summary>
/// Feeds mutated copies of a file to a loader on a few worker threads and collects every case that ends
/// in anything other than success or one of the accepted exception types (whose message must name the
/// file), or that runs past the time bound. Environment overrides to reproduce a failure:
/// <c>SAMADAPT_FUZZ_SEED</c>, <c>SAMADAPT_FUZZ_CASE</c> (run that case alone), <c>SAMADAPT_FUZZ_CASES</c>,
/// <c>SAMADAPT_FUZZ_WORKERS</c>; <c>SAMADAPT_FUZZ_TRACE</c> names a file that gets each case before it runs
/// (to find the case after a native crash of the test host).
/// </summary>
public static class FuzzRunner
{
    /// <summary>Default seed of the suite.</summary>
    public const int DefaultSeed = 20261123;

    /// <summary>How the cases ended.</summary>
    public sealed record Outcome(int Cases, int Loaded, int Refused, IReadOnlyList<string> Failures, TimeSpan Elapsed)
    {
        /// <summary>Every failure, one per line, with the seed and case to reproduce it.</summary>
        public override string ToString() =>
            $"{Failures.Count} of {Cases} cases failed ({Loaded} loaded, {Refused} refused cleanly, {Elapsed.TotalSeconds:F1} s):\n" +
            string.Join("\n", Failures.Take(30));
    }

    /// <summary>
    /// Runs <paramref name="cases"/> mutations of <paramref name="original"/> through <paramref name="load"/>, which
    /// gets the path of a file named <c>fuzz-CASE</c> + <paramref name="extension"/> inside its own folder.
    /// <paramref name="write"/> turns the mutated bytes into that file (default: as they are), e.g. to wrap a
    /// mutated pickle into a valid zip or to repair checksums so that mutations reach the decoder.
    /// <paramref name="parallel"/> false runs one case at a time (for loaders that build TorchSharp tensors and modules).
    /// </summary>
    public static Outcome Run(string name, byte[] original, IReadOnlyList<(int Start, int Length)> structure, string extension,
        int cases, Action<string> load, Type[] accepted, TimeSpan perCase, Action<byte[], string, int>? write = null, bool parallel = true)
    {
        int seed = int.TryParse(Environment.GetEnvironmentVariable("SAMADAPT_FUZZ_SEED"), out var s) ? s : DefaultSeed;
        cases = int.TryParse(Environment.GetEnvironmentVariable("SAMADAPT_FUZZ_CASES"), out var c) ? c : cases;
        var indices = int.TryParse(Environment.GetEnvironmentVariable("SAMADAPT_FUZZ_CASE"), out var only)
            ? new[] { only } : Enumerable.Range(0, cases).ToArray();
        var mutator = new ByteMutator(original, structure);
        var root = TestPaths.NewTempDirectory();
        var failures = new ConcurrentBag<(int Case, string Text)>();
        int loaded = 0, refused = 0, next = -1;
        var trace = Environment.GetEnvironmentVariable("SAMADAPT_FUZZ_TRACE");
        int workers = int.TryParse(Environment.GetEnvironmentVariable("SAMADAPT_FUZZ_WORKERS"), out var w) ? w
            : parallel ? Math.Max(2, Environment.ProcessorCount) : 1;
        var clock = Stopwatch.StartNew();

        void Worker(int worker)
        {
            var folder = Path.Combine(root, $"worker{worker}");
            Directory.CreateDirectory(folder);
            for (int i = Interlocked.Increment(ref next); i < indices.Length; i = Interlocked.Increment(ref next))
            {
                int caseIndex = indices[i];
                var (bytes, description) = mutator.Mutate(seed, caseIndex);
                var path = Path.Combine(folder, $"fuzz-{caseIndex}{extension}");
                if (write is null) File.WriteAllBytes(path, bytes); else write(bytes, path, caseIndex);
                if (trace is not null) lock (failures) File.AppendAllText(trace, $"{name} {caseIndex} {description}\n");
                string Where() => $"{name} seed {seed} case {caseIndex} ({description}; reproduce with SAMADAPT_FUZZ_SEED={seed} SAMADAPT_FUZZ_CASE={caseIndex})";
                var task = Task.Run(() => load(path));
                bool finished;
                try { finished = task.Wait(perCase); }
                catch (AggregateException) { finished = true; }
                if (!finished)
                {
                    failures.Add((caseIndex, $"{Where()}: still running after {perCase.TotalSeconds} s"));
                    continue;
                }
                if (task.Exception?.InnerException is not { } error) Interlocked.Increment(ref loaded);
                else if (!accepted.Any(t => t.IsInstanceOfType(error)))
                    failures.Add((caseIndex, $"{Where()}: {error.GetType().FullName}: {error.Message}\n{error.StackTrace}"));
                else if (!error.Message.Contains(Path.GetFileName(path), StringComparison.Ordinal))
                    failures.Add((caseIndex, $"{Where()}: {error.GetType().Name} does not name the file: {error.Message}"));
                else Interlocked.Increment(ref refused);
                File.Delete(path);
            }
        }

        var threads = Enumerable.Range(0, workers)
            .Select(w => new Thread(() => Worker(w)) { IsBackground = true }).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        var ordered = failures.OrderBy(f => f.Case).Select(f => f.Text).ToList();
        return new Outcome(indices.Length, loaded, refused, ordered, clock.Elapsed);
    }
}
