namespace SamAdapt.Torch;

/// <summary>What <see cref="ElfVersionRequirement"/> found for a version requirement.</summary>
public enum ElfPatchOutcome
{
    /// <summary>The requirement was strong and is (or, when only inspected, would be) marked weak.</summary>
    Patched,

    /// <summary>The requirement is already weak: nothing to do.</summary>
    AlreadyWeak,

    /// <summary>The file has no requirement on that version.</summary>
    NoSuchRequirement,

    /// <summary>The file is not an ELF file.</summary>
    NotElf,

    /// <summary>An ELF file, but not 64-bit little-endian.</summary>
    Unsupported,

    /// <summary>An ELF file whose headers point outside it.</summary>
    Malformed,
}
