using Microsoft.ML;
using Microsoft.ML.Data;

namespace SamAdapt.DeployTests;

/// <summary>
/// The encoder and decoder halves <c>samadapt export</c> writes beside model.zip, loaded by stock ML.NET: the image is
/// encoded once, then each click is decoded alone, and every mask and score equals model.zip's for the same click.
/// </summary>
[Collection(ExportedModelCollection.Name)]
public sealed class SplitModelZipTests(ExportedModel model)
{
    /// <summary>The encoder half's input: the image only.</summary>
    public sealed class ImageInput
    {
        /// <summary>RGB bytes, then zeros up to the capacity.</summary>
        [VectorType(3 * ExportedModel.Capacity)]
        public byte[] Pixels { get; set; } = [];
        /// <summary>Image height.</summary>
        public int Height { get; set; }
        /// <summary>Image width.</summary>
        public int Width { get; set; }
    }

    /// <summary>The encoder half's output.</summary>
    public sealed class EmbeddingOutput
    {
        /// <summary>The embedding [1, D, G, G].</summary>
        [ColumnName("image_embeddings")]
        public float[] Embedding { get; set; } = [];
    }

    /// <summary>The decoder half's input: the embedding, the size and a click.</summary>
    public sealed class ClickInput
    {
        /// <summary>The embedding from the encoder half (its size is taken from the decoder's schema).</summary>
        [ColumnName("image_embeddings")]
        public float[] Embedding { get; set; } = [];
        /// <summary>Image height.</summary>
        public int Height { get; set; }
        /// <summary>Image width.</summary>
        public int Width { get; set; }
        /// <summary>Click x.</summary>
        public float X { get; set; }
        /// <summary>Click y.</summary>
        public float Y { get; set; }
    }

    static string Half(string zipPath, string part) => Path.Combine(Path.GetDirectoryName(zipPath)!, $"{Path.GetFileNameWithoutExtension(zipPath)}.{part}.zip");

    [Fact]
    public void OneEncodingAndManyDecodings_EqualTheWholeModelsMasks()
    {
        var mlContext = new MLContext(seed: 0);
        var whole = mlContext.Model.Load(model.ZipPath, out _);
        var encoder = mlContext.Model.Load(Half(model.ZipPath, "encoder"), out var encoderSchema);
        var decoder = mlContext.Model.Load(Half(model.ZipPath, "decoder"), out var decoderSchema);
        Assert.Contains("Pixels", encoderSchema.Select(c => c.Name));
        Assert.Equal(new[] { "image_embeddings", "Height", "Width", "X", "Y" }, decoderSchema.Select(c => c.Name));
        using var wholeEngine = mlContext.Model.CreatePredictionEngine<ModelZipReuseTests.ClickInput, ModelZipReuseTests.MaskOutput>(whole);
        using var encodeEngine = mlContext.Model.CreatePredictionEngine<ImageInput, EmbeddingOutput>(encoder);
        var embeddingType = (VectorDataViewType)decoderSchema["image_embeddings"].Type;
        var definition = SchemaDefinition.Create(typeof(ClickInput));
        definition["image_embeddings"].ColumnType = embeddingType;
        using var decodeEngine = mlContext.Model.CreatePredictionEngine<ClickInput, ModelZipReuseTests.MaskOutput>(decoder, inputSchemaDefinition: definition);
        int clicks = 0;
        foreach (var c in model.Cases)
        {
            var pixels = new byte[3 * ExportedModel.Capacity];
            c.Rgb.CopyTo(pixels, 0);
            var embedding = encodeEngine.Predict(new ImageInput { Pixels = pixels, Height = c.Height, Width = c.Width }).Embedding;
            Assert.Equal(embeddingType.Size, embedding.Length);
            foreach (var (x, y) in new[] { (c.X, c.Y), (1f, 1f), (c.Width / 2f, c.Height - 2f), (c.Width - 3f, 4f) })
            {
                var expected = wholeEngine.Predict(new ModelZipReuseTests.ClickInput { Pixels = pixels, Height = c.Height, Width = c.Width, X = x, Y = y });
                var answer = decodeEngine.Predict(new ClickInput { Embedding = embedding, Height = c.Height, Width = c.Width, X = x, Y = y });
                Assert.Equal(expected.Mask, answer.Mask);
                Assert.Equal(expected.Score, answer.Score);
                clicks++;
            }
        }
        Assert.Equal(4 * model.Cases.Count, clicks);
    }
}
