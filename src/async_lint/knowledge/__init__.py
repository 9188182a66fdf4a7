"""Data, not logic: which calls block, which run a loop, which have async twins."""
