"""Files -> diagnostics: reading, discovery, the per-file check, the parallel runner, the cache."""
