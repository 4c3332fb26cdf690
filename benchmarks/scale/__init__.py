"""The at-scale benchmark behind `benchmarks/run.py`: what a full build and a rebuild cost
on a large generated corpus, next to plain trafilatura."""
