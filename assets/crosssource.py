"""`claims`: the same quantity as reported by several outlets, with conflicts flagged."""

import dagster as dg
import polars as pl

from assets.metadata import table_metadata
from assets.order import step_tags
from newsfacts.crosssource.claims import build_claims


@dg.multi_asset(
    outs={
        "claims": dg.AssetOut(
            description="Figures about the same quantity across articles (same kind, subject, "
            "unit and event window) with each outlet's value and a conflict flag."
        ),
        "claim_figures": dg.AssetOut(
            description="Which figures make up each claim, and the one value kept per article."
        ),
    },
    op_tags=step_tags("claims"),
)
def claims(
    figures: pl.DataFrame, articles: pl.DataFrame
) -> tuple[dg.Output[pl.DataFrame], dg.Output[pl.DataFrame]]:
    claims_frame, members = build_claims(figures, articles)
    return (
        dg.Output(
            claims_frame,
            metadata=table_metadata(
                "claims", claims_frame, conflicts=claims_frame.filter(pl.col("conflict")).height
            ),
        ),
        dg.Output(members, metadata=table_metadata("claim_figures", members)),
    )
