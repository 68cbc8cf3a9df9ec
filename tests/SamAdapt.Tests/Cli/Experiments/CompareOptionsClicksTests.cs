using SamAdapt.Cli.Experiments;

namespace SamAdapt.Tests.Cli.Experiments;

public class CompareOptionsClicksTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(20)]
    public void ZeroToTwentyClicksAreAccepted(int clicks) => new CompareOptions { Clicks = clicks }.Validate();

    [Theory]
    [InlineData(-1)]
    [InlineData(21)]
    public void OtherClickCountsAreRefusedNamingTheOption(int clicks) =>
        Assert.Contains("--clicks", Assert.Throws<ArgumentException>(() => new CompareOptions { Clicks = clicks }.Validate()).Message);

    [Fact]
    public void TheDefaultIsFiveClicks() => Assert.Equal(5, new CompareOptions().Clicks);
}
