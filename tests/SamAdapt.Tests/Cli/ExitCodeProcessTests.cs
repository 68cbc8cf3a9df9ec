using SamAdapt.Cli;

namespace SamAdapt.Tests.Cli;

/// <summary>The built program maps parse errors to exit code 2 as the in-process runs do.</summary>
[Collection(ProcessCollection.Name)]
public class ExitCodeProcessTests
{
    [Fact]
    public void TheProgramExitsWith2OnAParseError()
    {
        using var process = CliProcess.Start("train-unet", "--epochs", "many", "--out", TestPaths.NewTempDirectory());
        int code = process.WaitForExit(TimeSpan.FromMinutes(1));
        Assert.True(code == ExitCodes.BadInput, $"exit {code}: {process.Error}");
        Assert.Contains("'many'", process.Error);
    }
}
