"""Defaults the command line needs before anything heavy is imported (see `pipelines.cli`)."""

DEFAULT_INBOX = "seeds/articles"
DEFAULT_DATA_DIR = "data"
DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
