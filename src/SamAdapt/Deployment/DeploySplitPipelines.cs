using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.Deployment;

/// <summary>
/// The encoder and decoder halves of the deployed model as two ML.NET model zips of stock transforms, for apps that
/// click many times on one image: the encoder zip runs once per image (<see cref="DeployColumns.Pixels"/>, size ->
/// <see cref="DeployColumns.Embedding"/>), the decoder zip once per click (embedding, size, click -> <see cref="DeployColumns.Mask"/>,
/// <see cref="DeployColumns.Score"/>). Together they give what the one-piece model.zip gives.
/// </summary>
static class DeploySplitPipelines
{
    /// <summary>Beside <paramref name="zipPath"/>: <c>model.zip</c> -> <c>model.encoder.zip</c> (<paramref name="part"/> = "encoder").</summary>
    internal static string SiblingPath(string zipPath, string part) =>
        Path.Combine(Path.GetDirectoryName(Path.GetFullPath(zipPath))!, $"{Path.GetFileNameWithoutExtension(zipPath)}.{part}.zip");

    /// <summary>Writes the encoder zip: pixels and size -> the embedding.</summary>
    internal static void SaveEncoder(string encoderPath, int capacity, string zipPath)
    {
        var mlContext = new MLContext(seed: 0);
        var definition = SchemaDefinition.Create(typeof(DeployInputRow));
        definition[nameof(DeployInputRow.Pixels)].ColumnType = new VectorDataViewType(NumberDataViewType.Byte, 3 * capacity);
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<DeployInputRow>(), definition);
        var pipeline = mlContext.Transforms.ApplyOnnxModel([DeployColumns.Embedding], [DeployColumns.Pixels, DeployColumns.Height, DeployColumns.Width], encoderPath);
        Save(mlContext, pipeline.Fit(empty), empty.Schema, zipPath);
    }

    /// <summary>Writes the decoder zip: embedding [1, D, G, G], size and click -> mask and score.</summary>
    internal static void SaveDecoder(string promptPath, string decoderPath, int embeddingDim, int grid, string zipPath)
    {
        var mlContext = new MLContext(seed: 0);
        var definition = SchemaDefinition.Create(typeof(DeployDecoderInputRow));
        definition[DeployColumns.Embedding].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 1, embeddingDim, grid, grid);
        var empty = mlContext.Data.LoadFromEnumerable(Array.Empty<DeployDecoderInputRow>(), definition);
        var pipeline = mlContext.Transforms.ApplyOnnxModel(DeployGraphs.PromptOutputs, [DeployColumns.X, DeployColumns.Y, DeployColumns.Height, DeployColumns.Width], promptPath)
            .Append(mlContext.Transforms.ApplyOnnxModel([DeployColumns.Mask, DeployColumns.Score], [DeployColumns.Embedding, .. DeployGraphs.PromptOutputs], decoderPath,
                shapeDictionary: new Dictionary<string, int[]> { ["point_coords"] = [1, 2, 2], ["point_labels"] = [1, 2] }, gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100))
            .Append(mlContext.Transforms.DropColumns(DeployGraphs.PromptOutputs));
        Save(mlContext, pipeline.Fit(empty), empty.Schema, zipPath);
    }

    static void Save(MLContext mlContext, ITransformer transformer, DataViewSchema schema, string zipPath)
    {
        try
        {
            AtomicFile.Write(zipPath, stream => mlContext.Model.Save(transformer, schema, stream));
        }
        finally
        {
            var parts = transformer is IEnumerable<ITransformer> chain ? chain.ToArray() : [transformer];
            foreach (var part in parts.OfType<IDisposable>()) part.Dispose();
        }
    }
}
