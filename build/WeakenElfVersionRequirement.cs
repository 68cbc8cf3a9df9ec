// MSBuild inline task (RoslynCodeTaskFactory). See TorchSharpGlibcxxFix.targets for why it exists.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public class WeakenElfVersionRequirement : Task
{
    const uint ShtGnuVerneed = 0x6ffffffe;
    const ushort VerFlgWeak = 0x2;

    static readonly string[] LibStdCxxCandidates =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib/aarch64-linux-gnu/libstdc++.so.6", "/lib/aarch64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6",
    };

    [Required] public string Directory { get; set; }
    [Required] public string FileName { get; set; }
    [Required] public string VersionName { get; set; }

    public override bool Execute()
    {
        if (string.IsNullOrEmpty(Directory) || !System.IO.Directory.Exists(Directory)) return true;
        string[] targets = System.IO.Directory.GetFiles(Directory, FileName, SearchOption.AllDirectories);
        if (targets.Length == 0) return true;

        string libStdCxx = Array.Find(LibStdCxxCandidates, File.Exists);
        if (libStdCxx != null && Contains(File.ReadAllBytes(libStdCxx), Encoding.ASCII.GetBytes(VersionName + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, "{0} provides {1}; {2} left as it is.", libStdCxx, VersionName, FileName);
            return true;
        }

        foreach (string path in targets)
        {
            try
            {
                byte[] elf = File.ReadAllBytes(path);
                string outcome = Weaken(elf, VersionName);
                if (outcome == "patched")
                {
                    string temp = path + ".samadapt-tmp";
                    File.WriteAllBytes(temp, elf);
                    File.Delete(path); // unlinks the copy (and any hard link to the NuGet cache) first
                    File.Move(temp, path);
                    Log.LogMessage(MessageImportance.High, "SamAdapt: marked {0} weak in {1} (system libstdc++ lacks it).", VersionName, path);
                }
                else
                {
                    Log.LogMessage(MessageImportance.Low, "SamAdapt: {0}: {1}", path, outcome);
                }
            }
            catch (Exception e)
            {
                Log.LogWarning("SamAdapt: could not patch {0}: {1}. TorchSharp may fail to load on this system.", path, e.Message);
            }
        }
        return true;
    }

    /// <summary>Sets VER_FLG_WEAK on the version requirement named <paramref name="version"/>; returns what happened.</summary>
    static string Weaken(byte[] elf, string version)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
            return "not an ELF file";
        if (elf[4] != 2 || elf[5] != 1) return "not a 64-bit little-endian ELF file";

        long sectionHeaders = (long)BitConverter.ToUInt64(elf, 0x28);
        int headerSize = BitConverter.ToUInt16(elf, 0x3A);
        int sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (int s = 0; s < sectionCount; s++)
        {
            long header = sectionHeaders + (long)s * headerSize;
            if (header + 64 > elf.Length) return "section headers out of range";
            if (BitConverter.ToUInt32(elf, (int)header + 4) != ShtGnuVerneed) continue;

            long offset = (long)BitConverter.ToUInt64(elf, (int)header + 24);
            int stringTableIndex = (int)BitConverter.ToUInt32(elf, (int)header + 40);
            int entryCount = (int)BitConverter.ToUInt32(elf, (int)header + 44);
            long stringTable = (long)BitConverter.ToUInt64(elf, (int)(sectionHeaders + (long)stringTableIndex * headerSize + 24));

            long need = offset;
            for (int n = 0; n < entryCount; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)need + 2);
                long aux = need + BitConverter.ToUInt32(elf, (int)need + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    string name = ReadCString(elf, stringTable + BitConverter.ToUInt32(elf, (int)aux + 8));
                    if (name == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlgWeak) != 0) return "already weak";
                        flags |= VerFlgWeak;
                        elf[aux + 4] = (byte)(flags & 0xff);
                        elf[aux + 5] = (byte)(flags >> 8);
                        return "patched";
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                need += BitConverter.ToUInt32(elf, (int)need + 12);
            }
            return "no requirement on " + version;
        }
        return "no .gnu.version_r section";
    }

    static string ReadCString(byte[] bytes, long start)
    {
        long end = start;
        while (end < bytes.Length && bytes[end] != 0) end++;
        return Encoding.ASCII.GetString(bytes, (int)start, (int)(end - start));
    }

    static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }
}
