using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace SamAdapt.ServerTests;

/// <summary>
/// The example server in process on the sam-mini-256 fixture, with small limits for the tests: 96 KiB bodies,
/// 40,000 pixels, 4 points, 4 predictors.
/// </summary>
public class SegmentServerFactory : WebApplicationFactory<Program>
{
    /// <summary>The fixture model the server opens.</summary>
    public static string Model => Path.Combine(AppContext.BaseDirectory, "Fixtures", "sam-mini-256");

    /// <summary>Limits of the test server.</summary>
    public const int MaxBodyBytes = 96 * 1024, MaxPixels = 40_000, MaxPoints = 4;

    /// <inheritdoc/>
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("SegmentServer:Model", Model);
        builder.UseSetting("SegmentServer:MaxBodyBytes", MaxBodyBytes.ToString());
        builder.UseSetting("SegmentServer:MaxPixels", MaxPixels.ToString());
        builder.UseSetting("SegmentServer:MaxPoints", MaxPoints.ToString());
        builder.UseSetting("SegmentServer:Predictors", "4");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
    }
}
