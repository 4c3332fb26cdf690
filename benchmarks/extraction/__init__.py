"""The extraction-quality benchmark behind `benchmarks/extraction_quality.py`: article text
scored against public gold, next to plain trafilatura."""
