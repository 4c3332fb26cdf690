"""newsfacts: news articles in, versioned analysis-ready tables out.

The package holds the pure domain logic (no Dagster import), so every rule can be used and
tested on plain strings and polars frames.
"""

__version__ = "0.1.0"
