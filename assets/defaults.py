"""Defaults the command line needs before anything heavy is imported (see `pipelines.cli`)."""

DEFAULT_INBOX = "seeds/articles"
DEFAULT_DATA_DIR = "data"
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# Where `newsfacts docs` serves the Data Docs (on 127.0.0.1); the published asset links there.
DEFAULT_DOCS_PORT = 8801
