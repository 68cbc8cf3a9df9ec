using System.CommandLine;
using System.Diagnostics;
using SamAdapt.Models;

namespace SamAdapt.Cli.Commands;

/// <summary><c>samadapt models list</c> and <c>samadapt models fetch NAME</c>: the known models and the model cache.</summary>
public static class ModelsCommand
{
    /// <summary>Builds the <c>models</c> command with its <c>list</c> and <c>fetch</c> subcommands.</summary>
    public static Command Create()
    {
        var cacheOption = new Option<string?>("--cache")
        {
            Description = $"The model cache folder (default: ${ModelCache.HomeVariable}, else ~/.cache/samadapt).",
            Recursive = true,
        };
        var models = new Command("models", "List the known models and fetch them into the model cache.");
        models.Options.Add(cacheOption);

        var list = new Command("list", "List the known models: name, type, size, whether cached, licence.");
        list.SetAction((parseResult, cancellationToken) => Task.FromResult(Run(parseResult, cacheOption, registry => List(registry, parseResult, cancellationToken))));
        models.Subcommands.Add(list);

        var nameArgument = new Argument<string>("name") { Description = "The model to fetch (see 'models list')." };
        var fetch = new Command("fetch", "Fetch a model into the cache (checking its checksums) and print its folder.");
        fetch.Arguments.Add(nameArgument);
        fetch.SetAction((parseResult, cancellationToken) => CliErrors.RunAsync(parseResult.InvocationConfiguration.Error, async () =>
        {
            var name = parseResult.GetValue(nameArgument)!;
            var output = parseResult.InvocationConfiguration.Output;
            var registry = CreateRegistry(parseResult, cacheOption);
            registry.Get(name);
            using var progress = ConsoleProgress.For(output);
            try
            {
                var folder = await registry.FetchAsync(name, progress, cancellationToken);
                progress.Complete();
                output.WriteLine(folder);
                return ExitCodes.Success;
            }
            catch (OperationCanceledException)
            {
                progress.Complete();
                parseResult.InvocationConfiguration.Error.WriteLine("the partial download is kept and resumes next time.");
                throw;
            }
        }));
        models.Subcommands.Add(fetch);
        return models;
    }

    private static ModelRegistry CreateRegistry(ParseResult parseResult, Option<string?> cacheOption) =>
        new(new ModelCache(parseResult.GetValue(cacheOption)));

    private static int Run(ParseResult parseResult, Option<string?> cacheOption, Func<ModelRegistry, int> action) =>
        CliErrors.Run(parseResult.InvocationConfiguration.Error, () => action(CreateRegistry(parseResult, cacheOption)));

    private static int List(ModelRegistry registry, ParseResult parseResult, CancellationToken cancellationToken)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var rows = registry.Models.Select(m => new[]
        {
            m.Name, m.ModelType, FormatBytes(m.TotalSize), registry.IsCached(m.Name, cancellationToken) ? "yes" : "no", m.Licence, m.Description,
        }).ToList();
        string[] header = ["NAME", "TYPE", "SIZE", "CACHED", "LICENCE", "DESCRIPTION"];
        var widths = header.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i])));
        output.WriteLine(Line(header));
        foreach (var row in rows) output.WriteLine(Line(row));
        output.WriteLine($"Cache: {registry.Cache.Root}");
        return ExitCodes.Success;
    }

    /// <summary>A size in binary units with one decimal, such as <c>357.7 MiB</c>.</summary>
    internal static string FormatBytes(double bytes)
    {
        string[] units = ["B", "KiB", "MiB", "GiB", "TiB"];
        int unit = 0;
        while (bytes >= 1024 && unit < units.Length - 1)
        {
            bytes /= 1024;
            unit++;
        }
        return unit == 0 ? $"{bytes:0} B" : $"{bytes:0.0} {units[unit]}";
    }
}
