"""Dagster assets: thin wiring of the newsfacts domain functions, one module per stage."""
