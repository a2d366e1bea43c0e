"""`make bench`: a national-scale load benchmark of the platform (see docs/benchmarks.md). Not run in CI."""
