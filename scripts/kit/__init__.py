"""The demo's, benchmarks' and fault runs' own code (simulated bidders, the example procurement, the fault
plan, measurements). Not part of the installed product; used by `scripts/` and the tests."""
