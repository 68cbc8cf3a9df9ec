namespace SamAdapt.DeployTests;

/// <summary>The test classes that share one <see cref="ExportedModel"/> (made once: the CLI runs take most of this project's time).</summary>
[CollectionDefinition(Name)]
public sealed class ExportedModelCollection : ICollectionFixture<ExportedModel>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "exported model";
}
