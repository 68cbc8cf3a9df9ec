using System.Diagnostics;
using System.Text.Json;
using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using SamAdapt.Weights;
using TorchSharp;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace SamAdapt.Tests.Sam.Modeling;

public class ImageEncoderTests
{
    readonly ITestOutputHelper _output;

    public ImageEncoderTests(ITestOutputHelper output) => _output = output;

    /// <summary>Builds the encoder described by a fixture's config.json (SAM's builder: patch 16, MLP ratio 4, rel-pos, qkv bias).</summary>
    static ImageEncoderViT EncoderFromConfig(string fixture)
    {
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixture, "config.json")));
        var root = config.RootElement;
        return new ImageEncoderViT(
            imgSize: root.GetProperty("image_size").GetInt64(),
            patchSize: root.GetProperty("patch_size").GetInt64(),
            inChans: 3,
            embedDim: root.GetProperty("encoder_embed_dim").GetInt64(),
            depth: root.GetProperty("encoder_depth").GetInt64(),
            numHeads: root.GetProperty("encoder_num_heads").GetInt64(),
            mlpRatio: 4.0,
            outChans: root.GetProperty("prompt_embed_dim").GetInt64(),
            qkvBias: true,
            useRelPos: true,
            windowSize: root.GetProperty("window_size").GetInt64(),
            globalAttnIndexes: root.GetProperty("encoder_global_attn_indexes").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }

    /// <summary>Loads the fixture's weights, encodes its preprocessed image and returns the relative error and the forward time.</summary>
    static (double Error, TimeSpan Elapsed) EncodeFixture(string fixture)
    {
        using var encoder = EncoderFromConfig(fixture);
        using (var weights = SafeTensors.Load(Path.Combine(fixture, "sam.safetensors")))
            StateDictLoader.LoadInto(encoder, weights, "image_encoder.");
        encoder.eval();
        using var cases = SafeTensors.Load(Path.Combine(fixture, "cases.safetensors"));
        using var noGrad = no_grad();
        var stopwatch = Stopwatch.StartNew();
        using var embeddings = encoder.forward(cases["preprocessed"]);
        stopwatch.Stop();
        return (Relative.Error(embeddings, cases["image_embeddings"]), stopwatch.Elapsed);
    }

    static void AssertSameValues(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        Assert.True(expected.eq(actual).all().item<bool>(), $"expected [{string.Join(", ", expected.flatten().data<float>().ToArray())}], got [{string.Join(", ", actual.flatten().data<float>().ToArray())}]");
    }

    [Fact]
    public void MiniFixtureEmbeddingsMatchReference()
    {
        var (error, elapsed) = EncodeFixture(TestPaths.MiniFixture);
        _output.WriteLine($"sam-mini-256: relative error {error:E3}, forward {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(error < 1e-4, $"relative error {error:E3} is not below 1e-4");
    }

    [SharedFixtureFact("sam-vit-tiny-1024")]
    public void TinyVit1024EmbeddingsMatchReference()
    {
        var (error, elapsed) = EncodeFixture(TestPaths.TinyVit1024!);
        _output.WriteLine($"sam-vit-tiny-1024: relative error {error:E3}, forward {elapsed.TotalMilliseconds:F0} ms");
        Assert.True(error < 1e-4, $"relative error {error:E3} is not below 1e-4");
    }

    [Fact]
    public void VitBConfigurationHasTheCheckpointLayout()
    {
        using var encoder = new ImageEncoderViT(imgSize: 1024, patchSize: 16, inChans: 3, embedDim: 768, depth: 12, numHeads: 12,
            mlpRatio: 4.0, outChans: 256, qkvBias: true, useRelPos: true, windowSize: 14, globalAttnIndexes: new[] { 2, 5, 8, 11 });
        var state = encoder.state_dict();
        // pos_embed + patch_embed.proj (weight, bias) + 12 blocks x 14 tensors
        // (norm1 2, attn.rel_pos_h/_w 2, attn.qkv 2, attn.proj 2, norm2 2, mlp.lin1 2, mlp.lin2 2) + neck (conv, norm 2, conv, norm 2).
        Assert.Equal(3 + 12 * 14 + 6, state.Count);
        Assert.Equal(new long[] { 1, 64, 64, 768 }, state["pos_embed"].shape);
        Assert.Equal(new long[] { 127, 64 }, state["blocks.2.attn.rel_pos_h"].shape); // global: 2 * 64 - 1
        Assert.Equal(new long[] { 27, 64 }, state["blocks.0.attn.rel_pos_w"].shape);  // window 14: 2 * 14 - 1
        Assert.Equal(new long[] { 2304, 768 }, state["blocks.11.attn.qkv.weight"].shape);
        Assert.Equal(new long[] { 3072, 768 }, state["blocks.4.mlp.lin1.weight"].shape);
        Assert.Equal(new long[] { 256, 256, 3, 3 }, state["neck.2.weight"].shape);
        Assert.Equal(new long[] { 256 }, state["neck.3.bias"].shape);
    }

    [Fact]
    public void WithoutRelativePositionsThereAreNoTables()
    {
        using var encoder = new ImageEncoderViT(imgSize: 64, embedDim: 16, depth: 2, numHeads: 2, outChans: 8,
            useRelPos: false, windowSize: 2, globalAttnIndexes: new[] { 1 });
        var names = encoder.state_dict().Keys.ToList();
        Assert.DoesNotContain(names, n => n.Contains("rel_pos"));
        Assert.Equal(3 + 2 * 12 + 6, names.Count);
        using var noGrad = no_grad();
        using var output = encoder.forward(zeros(2, 3, 64, 64));
        Assert.Equal(new long[] { 2, 8, 4, 4 }, output.shape);
    }

    [Fact]
    public void WrongInputSizeIsAClearError()
    {
        using var encoder = new ImageEncoderViT(imgSize: 64, embedDim: 16, depth: 1, numHeads: 2, outChans: 8, windowSize: 2, globalAttnIndexes: Array.Empty<int>());
        using var image = zeros(1, 3, 48, 64);
        var error = Assert.Throws<SamAdaptException>(() => encoder.forward(image));
        Assert.Contains("[B, 3, 64, 64]", error.Message);
        Assert.Contains("[1, 3, 48, 64]", error.Message);
    }

    [Fact]
    public void GlobalBlockIndexOutsideTheDepthIsRejected()
    {
        var error = Assert.Throws<SamAdaptException>(() => new ImageEncoderViT(imgSize: 64, embedDim: 16, depth: 2, numHeads: 2, globalAttnIndexes: new[] { 2 }));
        Assert.Contains("index 2", error.Message);
    }

    [Fact]
    public void WindowPartitionPadsAndUnpartitionRestores()
    {
        using var scope = NewDisposeScope();
        var grid = arange(2 * 5 * 4 * 3, dtype: float32).reshape(2, 5, 4, 3);
        var (windows, paddedHeight, paddedWidth) = WindowPartition.Partition(grid, 3);
        Assert.Equal((6L, 6L), (paddedHeight, paddedWidth));
        Assert.Equal(new long[] { 2 * 2 * 2, 3, 3, 3 }, windows.shape);
        // Window 1 of image 0 is rows 0..2, columns 3..5: column 3 is data, columns 4 and 5 are padding.
        AssertSameValues(grid[0, 0..3, 3, ..], windows[1, .., 0, ..]);
        Assert.Equal(0, windows[1, .., 1.., ..].abs().sum().item<float>());
        // Window 2 (bottom-left) holds rows 3, 4 and one padding row.
        AssertSameValues(grid[0, 3..5, 0..3], windows[2, 0..2]);
        Assert.Equal(0, windows[2, 2].abs().sum().item<float>());
        var restored = WindowPartition.Unpartition(windows, 3, paddedHeight, paddedWidth, 5, 4);
        AssertSameValues(grid, restored);
    }

    [Fact]
    public void RelativePositionTableIsInterpolatedWhenItsLengthDiffers()
    {
        using var scope = NewDisposeScope();
        // Length 3 stretched to 2 * 3 - 1 = 5 by linear interpolation with align_corners=False:
        // source x = (i + 0.5) * 3 / 5 - 0.5, clamped to [0, 2] -> 0, 0.4, 1, 1.6, 2.
        var table = tensor(new float[] { 0, 1, 2 }).reshape(3, 1);
        var rows = RelativePosition.Get(3, 3, table); // row (q, k) = table[q - k + 2]
        var expected = tensor(new float[] { 1.0f, 0.4f, 0.0f, 1.6f, 1.0f, 0.4f, 2.0f, 1.6f, 1.0f }).reshape(3, 3, 1);
        Assert.True(rows.allclose(expected, rtol: 0, atol: 1e-6), string.Join(", ", rows.data<float>().ToArray()));
    }

    [Fact]
    public void RelativePositionScalesCoordinatesWhenQueryAndKeySizesDiffer()
    {
        using var scope = NewDisposeScope();
        // q = 2, k = 4: query coordinates 0, 2 (step 4 / 2), key coordinates 0..3, offset (4 - 1) * 1;
        // index = 2q - k + 3, into a table of 2 * 4 - 1 = 7 rows.
        var table = arange(7, dtype: float32).reshape(7, 1) * 10;
        var rows = RelativePosition.Get(2, 4, table).squeeze(-1);
        var expected = tensor(new float[] { 30, 20, 10, 0, 50, 40, 30, 20 }).reshape(2, 4);
        AssertSameValues(expected, rows);
    }

    [Fact]
    public void DecomposedBiasAddsRowAndColumnTerms()
    {
        using var scope = NewDisposeScope();
        var generator = new Generator(7);
        var query = randn(new long[] { 2, 3, 3 * 4, 5 }, generator: generator); // [batch, heads, 3x4 grid, C]
        var relPosH = randn(new long[] { 5, 5 }, generator: generator);
        var relPosW = randn(new long[] { 7, 5 }, generator: generator);
        var (rows, columns) = RelativePosition.DecomposedTerms(query, relPosH, relPosW, (3, 4), (3, 4));
        Assert.Equal(new long[] { 6, 3, 4, 3 }, rows.shape);
        Assert.Equal(new long[] { 6, 3, 4, 4 }, columns.shape);
        // Query grid rows 1..2 only: [6, 2 * 4 queries, 3 * 4 keys].
        var destination = full(new long[] { 6, 2, 4, 3, 4 }, float.NaN);
        var bias = RelativePosition.FillBias(rows, columns, 1, destination);
        Assert.Equal(new long[] { 6, 8, 12 }, bias.shape);
        // bias[b * heads + h, (qh - 1, qw), (kh, kw)] = q . rel_pos_h[qh - kh + 2] + q . rel_pos_w[qw - kw + 3]
        foreach (var (qh, qw, kh, kw) in new[] { (1, 0, 0, 3), (2, 3, 2, 1), (2, 1, 0, 0) })
        {
            var q = query[1, 2, qh * 4 + qw];
            float expected = q.dot(relPosH[qh - kh + 2]).item<float>() + q.dot(relPosW[qw - kw + 3]).item<float>();
            Assert.Equal(expected, bias[1 * 3 + 2, (qh - 1) * 4 + qw, kh * 4 + kw].item<float>(), 5);
        }
    }
}
