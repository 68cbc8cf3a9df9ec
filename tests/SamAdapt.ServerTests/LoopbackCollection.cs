namespace SamAdapt.ServerTests;

/// <summary>The classes that use the one Kestrel server on loopback.</summary>
[CollectionDefinition(Name)]
public sealed class LoopbackCollection : ICollectionFixture<LoopbackServerFactory>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "loopback server";
}
