using SamAdapt.Benchmarks;
using SamAdapt.Cli;

// Large tensors are allocated and freed on every step; keeping them in the heap avoids re-zeroing fresh pages.
NativeAllocatorTuning.KeepLargeBlocksInHeap();
return CliApp.BuildRoot().Parse(args).Invoke();
