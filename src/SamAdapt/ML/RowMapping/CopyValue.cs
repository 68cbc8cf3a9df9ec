namespace SamAdapt.ML.RowMapping;

/// <summary>Copies one column's value out of <paramref name="row"/> into <paramref name="value"/>, reusing its buffers.</summary>
internal delegate void CopyValue<in TRow, TValue>(TRow row, ref TValue value);
