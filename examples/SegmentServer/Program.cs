using Microsoft.Extensions.Options;
using SegmentServer;

var builder = WebApplication.CreateBuilder(args);
var section = builder.Configuration.GetSection(SegmentServerOptions.Section);
builder.Services.Configure<SegmentServerOptions>(section);
builder.Services.AddSingleton<SegmentService>();
builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = section.Get<SegmentServerOptions>()?.MaxBodyBytes ?? new SegmentServerOptions().MaxBodyBytes);

var app = builder.Build();
app.UseDefaultFiles();
app.UseStaticFiles();
app.MapGet("/sample/plant.png", () => Results.File(Path.Combine(AppContext.BaseDirectory, "sample", "plant.png"), "image/png"));
app.MapGet("/health", (SegmentService service) => Results.Ok(new { status = "ok", model = service.ModelName, cachedEmbeddings = service.CachedEmbeddings }));
app.MapPost("/segment", async (HttpContext context, SegmentService service, IOptions<SegmentServerOptions> options) =>
{
    try
    {
        var input = await SegmentRequestReader.ReadAsync(context.Request, options.Value, context.RequestAborted);
        return Results.Ok(await service.SegmentAsync(input, context.RequestAborted));
    }
    catch (RequestException e)
    {
        return Results.Problem(detail: e.Message, statusCode: e.Status);
    }
    catch (BadHttpRequestException e)
    {
        return Results.Problem(detail: e.Message, statusCode: e.StatusCode);
    }
    catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
    {
        return Results.Empty;
    }
});
app.Run();

/// <summary>The server's entry point (public for the in-process tests).</summary>
public partial class Program;
