using System.Text.Json;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Interactions;
using OpenQA.Selenium.Support.UI;
using SegmentServer;

namespace SamAdapt.ServerTests;

/// <summary>
/// The page in headless chromium: it loads the sample plant, a left click draws a mask, and the mask the page drew
/// (from the answer it keeps on the overlay) equals <c>POST /segment</c>'s for the same click.
/// </summary>
[Collection(LoopbackCollection.Name)]
public sealed class BrowserPageTests(LoopbackServerFactory server)
{
    [BrowserFact]
    public async Task AClickOnThePlantDrawsTheMaskThatPostSegmentGives()
    {
        var profile = Directory.CreateTempSubdirectory("samadapt-chromium-");
        var options = new ChromeOptions { BinaryLocation = BrowserFactAttribute.Chromium };
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", $"--user-data-dir={profile.FullName}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(BrowserFactAttribute.ChromeDriver), Path.GetFileName(BrowserFactAttribute.ChromeDriver));
        service.HideCommandPromptWindow = true;
        try
        {
            using var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
            driver.Navigate().GoToUrl(server.Address);
            var wait = new WebDriverWait(driver, TimeSpan.FromSeconds(60));
            var status = driver.FindElement(By.Id("status"));
            var overlay = driver.FindElement(By.Id("overlay"));
            void Until(Func<bool> condition, string what)
            {
                try { wait.Until(_ => condition()); }
                catch (WebDriverTimeoutException) { Assert.Fail($"the page did not {what}: status '{status.Text}', overlay {overlay.Size}"); }
            }
            Until(() => status.Text == "ready" && overlay.Size.Width > 0, "load the sample");
            Assert.Equal(500, overlay.Size.Width);

            new Actions(driver).MoveToElement(overlay, 0, 40).Click().Perform();
            Until(() => status.Text == "done 1", "draw the mask of the click");
            var points = JsonSerializer.Deserialize<JsonElement[]>(overlay.GetAttribute("data-points")!)!;
            var drawn = overlay.GetAttribute("data-mask-png")!;
            var score = float.Parse(overlay.GetAttribute("data-score")!, System.Globalization.CultureInfo.InvariantCulture);
            var (x, y) = (points[0].GetProperty("x").GetSingle(), points[0].GetProperty("y").GetSingle());
            Assert.Equal(1, points[0].GetProperty("label").GetInt32());

            using var http = new HttpClient { BaseAddress = server.Address };
            var expected = await SegmentClient.SegmentAsync(http, SegmentClient.Body(TestImages.Plant, (x, y, 1)));
            var pageMask = MaskPng.Decode(Convert.FromBase64String(drawn), out _, out _);
            Assert.Equal(MaskPng.Decode(Convert.FromBase64String(expected.MaskPng), out _, out _), pageMask);
            Assert.Equal(expected.Score, score);
            Assert.Contains(pageMask, m => m);
            // The canvas shows the mask: blue at half alpha on the object (the canvas keeps premultiplied colours, so green may be off by one), clear elsewhere (away from the click marker).
            int width = expected.Width;
            int far(int i) => Math.Max(Math.Abs(i % width - (int)x), Math.Abs(i / width - (int)y));
            int on = Enumerable.Range(0, pageMask.Length).First(i => pageMask[i] && far(i) > 3);
            int off = Enumerable.Range(0, pageMask.Length).First(i => !pageMask[i] && far(i) > 3);
            var object_ = CanvasPixel(driver, on % width, on / width);
            Assert.True(object_[2] == 255 && object_[3] == 128 && Math.Abs(object_[1] - 144) <= 1, $"the object pixel is [{string.Join(", ", object_)}]; expected about [30, 144, 255, 128]");
            Assert.Equal(0L, CanvasPixel(driver, off % width, off / width)[3]);
        }
        finally
        {
            service.Dispose();
            try { profile.Delete(recursive: true); } catch (IOException) { }
        }
    }

    static long[] CanvasPixel(IWebDriver driver, int x, int y) =>
        ((IReadOnlyCollection<object>)((IJavaScriptExecutor)driver).ExecuteScript(
            $"return Array.from(document.getElementById('overlay').getContext('2d').getImageData({x}, {y}, 1, 1).data);")!).Select(Convert.ToInt64).ToArray();
}
