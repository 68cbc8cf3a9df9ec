using System.Diagnostics;

namespace SamAdapt.Tests;

/// <summary>
/// <see cref="AtomicFile"/>: the temporary file carries the writer's process id, and a write removes the temporary
/// files of the same target left by dead processes (or, without a process id, older than a day), nothing else.
/// </summary>
public class AtomicFileTests
{
    /// <summary>The id of a process that has run and exited (so no running process has it, barring reuse within the test).</summary>
    static int DeadProcessId()
    {
        using var process = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        process.WaitForExit();
        return process.Id;
    }

    static string Temporary(string dir, string target, string owner)
    {
        var path = Path.Combine(dir, $".{target}.{owner}.tmp");
        File.WriteAllText(path, "partial");
        return path;
    }

    static string NewGuid() => Guid.NewGuid().ToString("N");

    [Fact]
    public void Write_RemovesTheTemporaryOfADeadProcess_KeepsALiveOnesAndUnrelatedFiles()
    {
        var dir = TestPaths.NewTempDirectory();
        var target = Path.Combine(dir, "results.json");
        var dead = Temporary(dir, "results.json", $"{DeadProcessId()}.{NewGuid()}");
        var mine = Temporary(dir, "results.json", $"{Environment.ProcessId}.{NewGuid()}");
        var otherTarget = Temporary(dir, "results.json.bak", $"{DeadProcessId()}.{NewGuid()}");
        var notOurs = Temporary(dir, "results.json", "notes");
        var lookalike = Temporary(dir, "results.json", $"notes.{NewGuid()}");
        var plain = Path.Combine(dir, "results.json.tmp");
        File.WriteAllText(plain, "a user's file");

        AtomicFile.WriteAllText(target, "{}");

        Assert.Equal("{}", File.ReadAllText(target));
        Assert.False(File.Exists(dead), "the temporary file of a dead process is removed");
        Assert.True(File.Exists(mine), "the temporary file of a running process (this one) is kept");
        Assert.True(File.Exists(otherTarget), "another target's temporary file is kept");
        Assert.True(File.Exists(notOurs), "a file that is not an AtomicFile temporary is kept");
        Assert.True(File.Exists(lookalike), "a name with no process id before the GUID is kept");
        Assert.True(File.Exists(plain));

        AtomicFile.WriteAllText(Path.Combine(dir, "results.json.bak"), "{}");
        Assert.False(File.Exists(otherTarget), "a write of the other target removes its stale temporary");
    }

    [Fact]
    public void Write_RemovesAnOldFormatTemporaryOlderThanADay_AndKeepsAFreshOne()
    {
        var dir = TestPaths.NewTempDirectory();
        var old = Temporary(dir, "model.safetensors", NewGuid());
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow - AtomicFile.UnownedTemporaryAge - TimeSpan.FromHours(1));
        var fresh = Temporary(dir, "model.safetensors", NewGuid());
        File.SetLastWriteTimeUtc(fresh, DateTime.UtcNow - AtomicFile.UnownedTemporaryAge + TimeSpan.FromHours(1));

        AtomicFile.WriteAllText(Path.Combine(dir, "model.safetensors"), "weights");

        Assert.False(File.Exists(old));
        Assert.True(File.Exists(fresh));
    }

    [Fact]
    public void TheTemporaryFileIsNamedWithTheWritingProcessId()
    {
        var dir = TestPaths.NewTempDirectory();
        string? seen = null;
        AtomicFile.Write(Path.Combine(dir, "out.bin"), stream =>
        {
            seen = Path.GetFileName(Assert.Single(Directory.GetFiles(dir)));
            stream.WriteByte(1);
        });
        Assert.Matches($@"^\.out\.bin\.{Environment.ProcessId}\.[0-9a-f]{{32}}\.tmp$", seen);
        Assert.Equal(new[] { Path.Combine(dir, "out.bin") }, Directory.GetFiles(dir));
    }

    [Fact]
    public void AFailedWriteRemovesItsTemporaryAndKeepsTheOriginal()
    {
        var dir = TestPaths.NewTempDirectory();
        var target = Path.Combine(dir, "report.md");
        File.WriteAllText(target, "original");
        Assert.Throws<IOException>(() => AtomicFile.Write(target, stream =>
        {
            stream.WriteByte(1);
            throw new IOException("disk full");
        }));
        Assert.Equal("original", File.ReadAllText(target));
        Assert.Equal(new[] { target }, Directory.GetFiles(dir));
    }
}
