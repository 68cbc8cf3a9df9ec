using System.CommandLine;
using SamAdapt.Cli;
using SamAdapt.Cli.Benchmarks;
using SamAdapt.Torch;

// Large tensors are allocated and freed on every step; keeping them in the heap avoids re-zeroing fresh pages.
NativeAllocatorTuning.KeepLargeBlocksInHeap();
// Before libtorch loads: OpenMP threads sleep rather than spin while waiting (much faster on a busy machine).
OpenMpWaitPolicy.PreferPassive();
using var interruption = new Interruption();
return await CliApp.InvokeAsync(args, new InvocationConfiguration { ProcessTerminationTimeout = null }, interruption.Token);
