namespace SamAdapt.Tests.Cli;

/// <summary>Tests that start samadapt processes (each uses every core) run one at a time.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "Processes";
}
