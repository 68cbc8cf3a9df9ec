using Microsoft.Extensions.ObjectPool;
using SamAdapt.Sam;

namespace SegmentServer;

/// <summary>Makes predictors that share the root predictor's loaded weights (<see cref="SamPredictor.ShareModel"/>).</summary>
sealed class PredictorPolicy(SamPredictor root) : PooledObjectPolicy<SamPredictor>
{
    /// <inheritdoc/>
    public override SamPredictor Create() => root.ShareModel();

    /// <inheritdoc/>
    public override bool Return(SamPredictor predictor) => true;
}
