namespace SamAdapt.ML.RowMapping;

/// <summary>An input row with no column, for <see cref="OutputSchemaShape"/>'s computation.</summary>
internal sealed class NoColumns;
