// Test classes run one after another, as in SamAdapt.Tests (see its TestParallelization.cs): the load test's timings
// and the browser's waits are not to be shared with other classes on a 2-core machine.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
