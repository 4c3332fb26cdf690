"""Infrastructure that is no stage: the worker pool, per-document caches, parsed reference data
kept on disk, the sentence-encoder runtime and the great-expectations worker process.
"""
