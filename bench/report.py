"""The report of a run: bench/results/<size>.json as measured, and the same as Markdown. It
carries only what the run measured, with the commit, the load average sampled during the run and
the data generation; why a figure misses its target is a person's note in bench/NOTES.md."""

import json
import os
import statistics
import subprocess
import threading
from pathlib import Path
from typing import Any

from bench import detectors

RESULTS = Path(__file__).resolve().parent / "results"


def plans_dir(size: str) -> Path:
    """SIZE=large writes latest.{json,md} and plans/, which are kept in git; SIZE=small writes
    small.{json,md} and plans-small/, which are not."""
    return RESULTS / ("plans" if size == "large" else f"plans-{size}")


def commit(root: Path = RESULTS.parents[1]) -> str:
    """HEAD of the checkout at ``root``, and whether its tree differs from HEAD outside
    bench/results/ (a run's own result files, which the run before it rewrote, are not a change
    to what it measures)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True)
        return done.stdout.strip()

    head = git("rev-parse", "--short", "HEAD") or "unknown"
    changed = git("status", "--porcelain", "--", ".", ":(exclude)bench/results")
    return head + (" with uncommitted changes" if changed else "")


class LoadAverage:
    """The one-minute load average, sampled every ``seconds`` while the run goes on."""

    def __init__(self, seconds: float = 5.0) -> None:
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(seconds,), daemon=True)

    def _sample(self, seconds: float) -> None:
        while not self._stop.wait(seconds):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> "LoadAverage":
        self.samples.append(os.getloadavg()[0])
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def summary(self) -> dict[str, float]:
        return {
            "min": round(min(self.samples), 2),
            "median": round(statistics.median(self.samples), 2),
            "max": round(max(self.samples), 2),
            "samples": len(self.samples),
        }


def latency_row(
    figure: str, timing: Any, *, ms: float | None = None, ratio: float | None = None, **extra: Any
) -> dict[str, Any]:
    """A latency figure measured with the floor beside it: met only when every window met the
    target."""
    target = " and ".join(
        t for t in (ms and f"p95 ≤ {ms:g} ms", ratio and f"p95 ≤ {ratio:g} × floor") if t
    )
    within = timing.windows_within(ms=ms, ratio=ratio)
    return {
        "figure": figure,
        **timing.as_dict(),
        "target": target,
        "windows_met": within,
        "met": within == len(timing.windows),
        **extra,
    }


def _ms(value: Any) -> str:
    return "–" if value is None else f"{value} ms"


def _ratio(row: dict[str, Any]) -> str:
    if not row.get("ratio"):
        return "–"
    ratios = [w["ratio"] for w in row.get("windows") or []]
    spread = f" ({min(ratios)}–{max(ratios)})" if ratios else ""
    return f"{row['ratio']} ×{spread}"


def _met(row: dict[str, Any]) -> str:
    verdict = {True: "yes", False: "**no**", None: "–"}[row["met"]]
    if row.get("windows"):
        verdict += f", {row['windows_met']} of {len(row['windows'])} windows"
    return verdict


def markdown(results: dict[str, Any]) -> str:
    load = results["load_average"]
    lines = [
        f"# `{results['command']}` — {results['started_at']}",
        "",
        f"Commit {results['commit']}. {results['machine']['cpus']} CPUs, PostgreSQL "
        f"{results['machine'].get('postgresql')}, Python {results['machine']['python']}; "
        f"seed {results['seed']}; {results['seconds']} s. Load average (1 min) during the run: "
        f"median {load['median']}, {load['min']}–{load['max']} over {load['samples']} samples.",
        "",
        "Data: "
        + "; ".join(
            f"{d['rows']:,} rows generated {d['generated_at']} in {d['seconds']} s"
            + (" (this run)" if d["this_run"] else " (reused)")
            for d in results["data"]
        )
        + ".",
        "",
        "Each latency figure's requests alternate with the floor's (GET /api/v1/accounts/me/ "
        "with an integration token) from the same load processes; the run is cut into windows, "
        "and the ratio is p95 over the floor's p95 of the same moments (the spread across "
        "windows in brackets). A figure is met when it met its target in every window.",
        "",
        "| figure | median | p95 | floor p95 | ratio (windows) | target | met |",
        "|---|---|---|---|---|---|---|",
    ]
    for row in results["figures"]:
        lines.append(
            f"| {row['figure']} | {_ms(row.get('median_ms'))} | {_ms(row.get('p95_ms'))} | "
            f"{_ms(row.get('floor_p95_ms'))} | {_ratio(row)} | {row['target']} | {_met(row)} |"
        )
    lines += ["", "## Throughput", "", "| figure | measured | target | met |", "|---|---|---|---|"]
    for row in results["throughput"]:
        lines.append(
            f"| {row['figure']} | {row['measured']} | {row['target']} | "
            f"{ {True: 'yes', False: '**no**', None: '–'}[row['met']] } |"
        )
    webhook = results.get("webhook_steps") or []
    if webhook:
        lines += [
            "",
            "Intake end to end through /hooks/meta/, each offered rate held in turn:",
            "",
            "| offered items/s | seconds | responses | items stored (at the last send) | "
            "register entries | stored items/s | sender late | kept up |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for s in webhook:
            lines.append(
                f"| {s['offered_per_second']:,} | {s['seconds']} | {s['responses']} | "
                f"{s['items_stored']:,} of {s['items_expected']:,} "
                f"({s['items_stored_when_sent']:,}) | {s['register_entries']:,} | "
                f"{s['stored_per_second']:,} | {s['sender_late_s']} s | "
                f"{'yes' if s['kept_up'] else '**no**'} |"
            )
    lines += [
        "",
        "## Peers and floors (in-process, same data, same run)",
        "",
        "| what | median | p95 | runs |",
        "|---|---|---|---|",
    ]
    for row in results["peers"]:
        lines.append(
            f"| {row['what']} | {row['median_ms']} ms | {row['p95_ms']} ms | {row['runs']} |"
        )
    lines += [
        "",
        "## Growth (same requests, each size its own database, each with its floor beside it)",
        "",
        "| rows | floor p95 | queue p95 | queue ratio | queries | search p95 | search ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for g in results["growth"]:
        lines.append(
            f"| {g['rows']:,} | {g['floor_p95_ms']} ms | {g['queue_p95_ms']} ms | "
            f"{g['queue_ratio']} × | {g['queue_queries']} | {g['search_p95_ms']} ms | "
            f"{g['search_ratio']} × |"
        )
    lines += ["", "## Queries per request (in-process, CaptureQueriesContext)", ""]
    lines += [f"- {k}: {v}" for k, v in results["queries"].items()]
    if "detectors" in results:
        lines += ["", *detectors.markdown(results["detectors"])]
    lines += ["", "Why a figure misses its target: bench/NOTES.md, which names the run it read."]
    return "\n".join(lines) + "\n"


def write(results: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = RESULTS / ("latest" if results["size"] == "large" else results["size"])
    stem.with_suffix(".json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    text = markdown(results)
    stem.with_suffix(".md").write_text(text)
    print(text)
