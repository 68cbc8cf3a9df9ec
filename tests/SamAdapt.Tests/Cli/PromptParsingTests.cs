using SamAdapt.Cli;

namespace SamAdapt.Tests.Cli;

public class PromptParsingTests
{
    [Fact]
    public void PointsParseInOrder()
    {
        var points = PromptParsing.ParsePoints("100,67.5,1; 40,112.5,0");
        Assert.Equal(new[] { (100f, 67.5f, 1), (40f, 112.5f, 0) }, points);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1,2")]
    [InlineData("1,2,3")]
    [InlineData("a,2,1")]
    [InlineData("1,NaN,1")]
    public void BadPointsNameTheOption(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => PromptParsing.ParsePoints(text));
        Assert.Contains("--points", error.Message);
    }

    [Fact]
    public void BoxParses() => Assert.Equal((50f, 30f, 150f, 105f), PromptParsing.ParseBox("50,30,150,105"));

    [Theory]
    [InlineData("1,2,3")]
    [InlineData("5,0,1,10")]
    [InlineData("x,0,1,10")]
    public void BadBoxNamesTheOption(string text) =>
        Assert.Contains("--box", Assert.Throws<ArgumentException>(() => PromptParsing.ParseBox(text)).Message);
}
