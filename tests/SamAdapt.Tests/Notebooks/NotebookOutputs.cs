namespace SamAdapt.Tests.Notebooks;

/// <summary>What an executed notebook showed: its text and HTML outputs, and the PNG images among them.</summary>
public sealed record NotebookOutputs(IReadOnlyList<string> Texts, IReadOnlyList<byte[]> Pngs);
