namespace SamAdapt.ML.RowMapping;

/// <summary>An output row of one column, for <see cref="OutputSchemaShape"/>'s computation.</summary>
/// <typeparam name="TValue">The member type ML.NET maps the column's type to (float[] for a float vector).</typeparam>
internal sealed class SingleColumn<TValue>
{
    /// <summary>The column's value.</summary>
    public TValue? Value;
}
