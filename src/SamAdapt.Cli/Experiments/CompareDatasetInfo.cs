namespace SamAdapt.Cli.Experiments;

/// <summary>The dataset a comparison ran on.</summary>
/// <param name="Path">Its folder.</param>
/// <param name="Layout">cvppp or pairs.</param>
/// <param name="Images">Usable images.</param>
/// <param name="Train">Images in the train split.</param>
/// <param name="Test">Images in the test split.</param>
public sealed record CompareDatasetInfo(string Path, string Layout, int Images, int Train, int Test);
