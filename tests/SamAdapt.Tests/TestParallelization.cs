// Test classes run one after another, not in parallel. TorchSharp 0.107 lets the garbage collector finalize a
// temporary Scalar or Tensor while libtorch still reads it in a native call (its handles are plain pointers, not
// SafeHandles); a collection at that moment needs another thread allocating, and parallel test classes made that
// common enough to crash the test host in libtorch_cpu.so now and then. On 2 cores, parallel classes gained little.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
