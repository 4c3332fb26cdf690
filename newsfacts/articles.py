"""Build the articles table: clean text per document plus metadata with its provenance.

Metadata written by people (the manifest) outranks metadata guessed from the page, and each
value records where it came from, so an analyst can tell a stated date from a guess.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
import polars as pl

from newsfacts.documents import RejectedDocument, load_text
from newsfacts.duplicates import NUM_PERM, duplicate_group_index, signature
from newsfacts.extract import ExtractionError, extract
from newsfacts.language import detect_language
from newsfacts.schemas import ARTICLES_SCHEMA

EXTRACTED_SCHEMA: dict[str, pl.DataType] = {
    "article_id": pl.String(),
    "text": pl.String(),
    "html_title": pl.String(),
    "html_published_at": pl.Date(),
    "sitename": pl.String(),
    "html_url": pl.String(),
    "language": pl.String(),
    "word_count": pl.Int64(),
    "text_sha256": pl.String(),
    "minhash": pl.List(pl.UInt64()),
    "error": pl.String(),
}


def extract_row(item: tuple[str, str, str, str, str], models: Path | None = None) -> dict[str, Any]:
    """Extraction of one document as a flat row; failures become a row with `error` set.

    Takes (article_id, path, encoding, content_sha256, format) so that only small tuples
    cross process boundaries; the worker reads the file itself. `models` is where the
    language model is kept unpacked between runs (see `newsfacts.language`).
    """
    article_id, path, encoding, content_sha256, fmt = item
    row: dict[str, Any] = dict.fromkeys(EXTRACTED_SCHEMA)
    row["article_id"] = article_id
    try:
        extracted = extract(load_text(path, encoding, content_sha256), fmt)
    except (ExtractionError, RejectedDocument) as exc:
        row["error"] = str(exc)
        return row
    except Exception as exc:  # a parser bug on one page must not stop the run
        row["error"] = f"extraction failed: {type(exc).__name__}: {exc}"
        return row
    row.update(
        text=extracted.text,
        html_title=extracted.title,
        html_published_at=extracted.published_at,
        sitename=extracted.sitename,
        html_url=extracted.url,
        language=detect_language(extracted.text, models) or extracted.language,
        word_count=extracted.word_count,
        text_sha256=hashlib.sha256(extracted.text.encode("utf-8")).hexdigest(),
        minhash=signature(extracted.text),
    )
    return row


def _hostname(url: str | None) -> str | None:
    if not url:
        return None
    host = urlparse(url).hostname
    return host.removeprefix("www.") if host else None


def extraction_items(documents: pl.DataFrame) -> list[tuple[str, str, str, str, str]]:
    return list(
        documents.select("article_id", "path", "encoding", "content_sha256", "format").iter_rows()
    )


def assemble_articles(
    documents: pl.DataFrame, extracted: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Join documents (with manifest columns) and their extraction.

    Returns (articles, extraction rejects).
    """
    joined = documents.join(extracted, on="article_id", how="left")
    failed = joined.filter(pl.col("error").is_not_null() | pl.col("text").is_null())
    rejects = failed.select(
        "source_file",
        pl.lit("articles").alias("stage"),
        pl.col("error").fill_null("no text extracted").alias("reason"),
        "content_sha256",
        "size_bytes",
    )
    ok = joined.filter(pl.col("error").is_null() & pl.col("text").is_not_null())
    ok = ok.rename(
        {
            "manifest_outlet": "m_outlet",
            "manifest_url": "m_url",
            "manifest_published_at": "m_published_at",
            "manifest_title": "m_title",
        }
    )
    html_host = pl.col("html_url").map_elements(_hostname, return_dtype=pl.String)
    articles = ok.with_columns(
        outlet=pl.coalesce("m_outlet", "sitename", html_host),
        outlet_source=pl.when(pl.col("m_outlet").is_not_null())
        .then(pl.lit("manifest"))
        .when(pl.col("sitename").is_not_null())
        .then(pl.lit("html"))
        .when(html_host.is_not_null())
        .then(pl.lit("url"))
        .otherwise(pl.lit("unknown")),
        url=pl.coalesce("m_url", "html_url"),
        title=pl.coalesce("m_title", "html_title"),
        published_at=pl.coalesce("m_published_at", "html_published_at"),
        published_at_source=pl.when(pl.col("m_published_at").is_not_null())
        .then(pl.lit("manifest"))
        .when(pl.col("html_published_at").is_not_null())
        .then(pl.lit("html"))
        .otherwise(pl.lit("unknown")),
    )
    articles = articles.sort("article_id")
    signatures = articles["minhash"].list.to_array(NUM_PERM).to_numpy().astype(np.uint32)
    group_row = duplicate_group_index(signatures.reshape(articles.height, NUM_PERM))
    articles = articles.with_columns(
        dup_group_id=articles["article_id"].gather(group_row)
    ).with_columns(dup_group_size=pl.len().over("dup_group_id").cast(pl.Int64))
    articles = articles.select(list(ARTICLES_SCHEMA))
    return articles.cast(ARTICLES_SCHEMA).sort("source_file"), rejects


def extract_rows(models: Path | None, item: tuple[str, str, str, str, str]) -> list[dict[str, Any]]:
    """`extract_row` in the one-document-many-rows shape the stage cache expects."""
    return [extract_row(item, models)]
