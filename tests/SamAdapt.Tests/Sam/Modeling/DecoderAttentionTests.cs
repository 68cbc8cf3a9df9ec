using SamAdapt.Sam;
using SamAdapt.Sam.Modeling;
using TorchSharp;
using static TorchSharp.torch;
using LogitsForm = SamAdapt.Sam.Modeling.DecoderAttention.LogitsForm;
using ValuesForm = SamAdapt.Sam.Modeling.DecoderAttention.ValuesForm;

namespace SamAdapt.Tests.Sam.Modeling;

/// <summary>
/// Every reassociated form of the decoder attention equals textbook multi-head attention
/// (softmax(q_h k_h^T / sqrt(d)) v_h, concatenated, output projection) written out here, including
/// a batch of 1 shared by the other side.
/// </summary>
public sealed class DecoderAttentionTests
{
    const double Tolerance = 1e-4;

    public static TheoryData<int, int, int, int> Shapes => new()
    {
        { 1, 5, 1, 40 },   // tokens -> image, one prompt
        { 3, 5, 1, 40 },   // tokens -> a shared image
        { 1, 40, 3, 5 },   // a shared image -> tokens
        { 3, 40, 3, 5 },   // image -> tokens, one image per prompt
    };

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryFormMatchesPlainMultiHeadAttention(int queryBatch, int queries, int keyBatch, int keys)
    {
        using var scope = NewDisposeScope();
        using var attention = new DecoderAttention(embeddingDim: 32, numHeads: 4, downsampleRate: 2);
        using var generator = new Generator(3);
        foreach (var parameter in attention.parameters())
            using (no_grad()) parameter.copy_(randn(parameter.shape, generator: generator) * 0.3);
        var q = randn(new long[] { queryBatch, queries, 32 }, generator: generator);
        var k = randn(new long[] { keyBatch, keys, 32 }, generator: generator);
        var v = randn(new long[] { keyBatch, keys, 32 }, generator: generator);
        var expected = Reference(attention, q, k, v);

        foreach (var logitsForm in Enum.GetValues<LogitsForm>())
            foreach (var valuesForm in Enum.GetValues<ValuesForm>())
            {
                var actual = attention.Forward(q, k, v, logitsForm, valuesForm);
                Assert.Equal(expected.shape, actual.shape);
                double error = (actual - expected).abs().max().item<float>() / expected.abs().max().item<float>();
                Assert.True(error < Tolerance, $"{logitsForm}/{valuesForm}: relative error {error:E2}");
            }
        Assert.True((attention.forward(q, k, v) - expected).abs().max().item<float>() / expected.abs().max().item<float>() < Tolerance);
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void EveryFormAddsTheResidualAsASeparateAddWould(int queryBatch, int queries, int keyBatch, int keys)
    {
        using var scope = NewDisposeScope();
        using var attention = new DecoderAttention(embeddingDim: 32, numHeads: 4, downsampleRate: 2);
        using var generator = new Generator(5);
        foreach (var parameter in attention.parameters())
            using (no_grad()) parameter.copy_(randn(parameter.shape, generator: generator) * 0.3);
        var q = randn(new long[] { queryBatch, queries, 32 }, generator: generator);
        var k = randn(new long[] { keyBatch, keys, 32 }, generator: generator);
        var v = randn(new long[] { keyBatch, keys, 32 }, generator: generator);
        long batch = Math.Max(queryBatch, keyBatch);
        // A residual of the query side's batch (a shared image keeps a batch of 1) and one of the full batch.
        foreach (var residual in new[] { randn(new long[] { queryBatch, queries, 32 }, generator: generator), randn(new long[] { batch, queries, 32 }, generator: generator) })
        {
            var kept = residual.clone();
            var expected = residual + Reference(attention, q, k, v);
            foreach (var logitsForm in Enum.GetValues<LogitsForm>())
                foreach (var valuesForm in Enum.GetValues<ValuesForm>())
                    foreach (bool recordGradients in new[] { true, false })
                    {
                        Tensor actual, overwritten, accumulator = residual.clone();
                        using (recordGradients ? enable_grad() : no_grad())
                        {
                            actual = attention.Forward(q, k, v, logitsForm, valuesForm, residual);
                            overwritten = attention.Forward(q, k, v, logitsForm, valuesForm, accumulator, overwriteResidual: true);
                        }
                        string what = $"{logitsForm}/{valuesForm}, residual batch {residual.shape[0]}, gradients {recordGradients}";
                        Assert.Equal(recordGradients, actual.requires_grad);
                        Relative.AssertClose(actual, expected.detach(), Tolerance, what);
                        Relative.AssertClose(overwritten, expected.detach(), Tolerance, what + ", residual overwritable");
                        if (recordGradients)
                            Assert.True(DecoderFixture.Identical(accumulator, kept), $"{what}: no in-place accumulation while gradients are recorded");
                    }
            Assert.True(DecoderFixture.Identical(residual, kept), "the residual must be left as it was");
        }
    }

    [Fact]
    public void ChoosesTheFoldedFormsForFewTokensAgainstManyPositions()
    {
        // SAM's decoder: 7 tokens, 4096 image positions, dim 256 -> 128 internal, 8 heads.
        var tokensToImage = new DecoderAttention.AttentionShape(1, 7, 1, 4096, 256, 128, 8);
        Assert.Equal(LogitsForm.KeyWeightsIntoQueries, DecoderAttention.ChooseLogits(tokensToImage));
        Assert.Equal(ValuesForm.AttendThenProject, DecoderAttention.ChooseValues(tokensToImage));
        var imageToTokens = new DecoderAttention.AttentionShape(1, 4096, 1, 7, 256, 128, 8);
        Assert.Equal(LogitsForm.QueryWeightsIntoKeys, DecoderAttention.ChooseLogits(imageToTokens));
        Assert.Equal(ValuesForm.OutputWeightsIntoValues, DecoderAttention.ChooseValues(imageToTokens));
        // 16 prompts against one shared image: projecting the image once is cheaper than folding 16 times.
        var sharedImage = new DecoderAttention.AttentionShape(16, 7, 1, 4096, 256, 128, 8);
        Assert.Equal(LogitsForm.ProjectBoth, DecoderAttention.ChooseLogits(sharedImage));
        Assert.Equal(ValuesForm.ProjectValues, DecoderAttention.ChooseValues(sharedImage));
    }

    [Fact]
    public void HeadsProjectedOnceForAllPromptsGiveTheSameAttention()
    {
        using var scope = NewDisposeScope();
        using var attention = new DecoderAttention(embeddingDim: 32, numHeads: 4, downsampleRate: 2);
        using var generator = new Generator(7);
        foreach (var parameter in attention.parameters())
            using (no_grad()) parameter.copy_(randn(parameter.shape, generator: generator) * 0.3);
        const int prompts = 16;
        var image = randn(new long[] { 1, 40, 32 }, generator: generator);
        var imageValues = randn(new long[] { 1, 40, 32 }, generator: generator);
        var tokens = randn(new long[] { prompts, 5, 32 }, generator: generator);
        var tokenValues = randn(new long[] { prompts, 5, 32 }, generator: generator);

        // Tokens attending to a shared image: its keys and values projected once.
        var keys = attention.ProjectSharedKeys(image, imageValues, queries: 5, prompts);
        Assert.NotNull(keys?.KeyHeads);
        Assert.NotNull(keys.ValueHeads);
        var tokenResidual = randn(new long[] { prompts, 5, 32 }, generator: generator);
        var expected = tokenResidual + Reference(attention, tokens, image, imageValues);
        var actual = attention.AddTo(tokenResidual, tokens, image, imageValues, overwriteResidual: false, keys);
        Assert.True((actual - expected).abs().max().item<float>() / expected.abs().max().item<float>() < Tolerance, "tokens -> shared image");

        // A shared image attending to the tokens: its queries projected once, the shared residual broadcast.
        var queries = attention.ProjectSharedQueries(image, keys: 5, prompts);
        Assert.NotNull(queries?.QueryHeads);
        expected = imageValues + Reference(attention, image, tokens, tokenValues);
        actual = attention.AddTo(imageValues, image, tokens, tokenValues, overwriteResidual: false, queries);
        Assert.True((actual - expected).abs().max().item<float>() / expected.abs().max().item<float>() < Tolerance, "shared image -> tokens");
    }

    /// <summary>Multi-head attention as in SAM's <c>Attention.forward</c>, with broadcasting of a batch of 1.</summary>
    static Tensor Reference(DecoderAttention attention, Tensor q, Tensor k, Tensor v)
    {
        const int heads = 4;
        long batch = Math.Max(q.shape[0], k.shape[0]);
        Tensor Heads(Tensor x) => x.reshape(x.shape[0], x.shape[1], heads, -1).transpose(1, 2).expand(batch, -1, -1, -1);
        var qh = Heads(attention.q_proj.forward(q));
        var kh = Heads(attention.k_proj.forward(k));
        var vh = Heads(attention.v_proj.forward(v));
        var weights = (qh.matmul(kh.transpose(2, 3)) / Math.Sqrt(qh.shape[3])).softmax(-1);
        var merged = weights.matmul(vh).transpose(1, 2).reshape(batch, q.shape[1], -1);
        return attention.out_proj.forward(merged);
    }
}
