// One collection at a time: each boots its own sandbox (and `sandbox up` publishes RiverRun from
// this checkout into the same obj/ directories, which two publishes at once collide on), and the
// tests that measure CPU shares need the machine's two cores to themselves.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
