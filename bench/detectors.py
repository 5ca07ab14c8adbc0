"""The detectors' evaluation: the Swedish evaluation set in bench/data (a part tuned on and a
held-out part that never was), precision and recall per label, harmless comments flagged, every
miss, and the time per item, also on bad input. Writes bench/results/detectors.{json,md}.

    python -m bench.detectors          (or: make bench SECTION=detectors)

It needs no database: the detectors run as intake runs them (moderation.classifiers), on the
threat lexicon the seed starts editors with and no word lists (none is seeded)."""

import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data"
RESULTS = Path(__file__).resolve().parent / "results"
SPLITS = {"tuned": "threats_tune.tsv", "held-out": "threats_holdout.tsv"}
LABELS = ["threat", "incitement", "harassment"]
TARGET_THREAT_RECALL = 0.9
TARGET_HARMLESS_FLAGGED = 0.05
TIME_BUDGET_MS = 50.0  # p95 per item, bad input included


@dataclass(frozen=True)
class Example:
    split: str
    label: str
    kind: str
    text: str


def examples() -> list[Example]:
    found = []
    for split, name in SPLITS.items():
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.startswith("#"):
                continue
            label, kind, text = line.split("\t", 2)
            if label not in (*LABELS, "none") or kind not in ("plain", "hard"):
                raise ValueError(f"{name}: bad label or kind in {line!r}")
            found.append(Example(split, label, kind, text))
    return found


def bad_inputs() -> dict[str, str]:
    """Texts no comment should be able to break the detector with."""
    long = ("Jag tycker att kommunen borde laga vägen vid skolan. " * 200)[:9_960]
    return {
        "empty": "",
        "10,000 characters": long + " jag ska döda dig",
        "10,000 characters without spaces": "ö" * 10_000,
        "emoji only": "😡🔪🔥💣" * 50,
        "right-to-left marks": "\u202ejag ska döda dig\u202c \u200fשלום\u200f",
        "zero-width characters": "j\u200ba\u200bg s\u200bka d\u200cö\u200dd\u2060a dig\ufeff",
        "mixed Swedish and English": "I swear jag ska kill you, you are dead meat din idiot",
        "digits and signs only": "0 1 3 4 5 7 8 @ $ € * " * 100,
        "spaced letters, long": "a " * 5_000,
        "stars": "*" * 10_000,
    }


def _detector() -> Callable[[Sequence[str]], list[list[Any]]]:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from moderation.classifiers import texts_detect
    from moderation.threat_defaults import default_terms
    from moderation.threats import LexiconTerm

    lexicon = frozenset(LexiconTerm(category, term) for category, term in default_terms())

    def run(texts: Sequence[str]) -> list[list[Any]]:
        return texts_detect(texts, words=(), lexicon=lexicon)

    return run


def _labels_of(hits: list[Any]) -> set[str]:
    from moderation.choices import DetectorKind

    kinds = {
        DetectorKind.THREAT: "threat",
        DetectorKind.INCITEMENT: "incitement",
        DetectorKind.HARASSMENT: "harassment",
    }
    return {kinds[hit.detector] for hit in hits if hit.detector in kinds}


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def _scores(rows: list[tuple[Example, set[str], list[Any]]]) -> dict[str, Any]:
    per_label = {}
    for label in LABELS:
        tp = sum(1 for ex, got, _ in rows if ex.label == label and label in got)
        fp = sum(1 for ex, got, _ in rows if ex.label != label and label in got)
        fn = sum(1 for ex, got, _ in rows if ex.label == label and label not in got)
        per_label[label] = {
            "examples": tp + fn,
            "precision": _ratio(tp, tp + fp),
            "recall": _ratio(tp, tp + fn),
            "true_positives": tp,
            "false_positives": fp,
            "false_negatives": fn,
        }
    harmless = [(ex, got) for ex, got, _ in rows if ex.label == "none"]
    hard = [(ex, got) for ex, got in harmless if ex.kind == "hard"]
    return {
        "examples": len(rows),
        "labels": per_label,
        "harmless": len(harmless),
        "harmless_flagged_threat": _ratio(sum("threat" in g for _, g in harmless), len(harmless)),
        "harmless_flagged_any": _ratio(sum(bool(g) for _, g in harmless), len(harmless)),
        "hard_negatives": len(hard),
        "hard_negatives_flagged_threat": _ratio(sum("threat" in g for _, g in hard), len(hard)),
    }


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def evaluate() -> dict[str, Any]:
    detect = _detector()
    detect(["uppvärmning: jag ska döda dig"])  # loads the dictionary, as a worker's first item
    data = examples()
    rows = []
    times = []
    for example in data:
        began = time.perf_counter()
        (hits,) = detect([example.text])
        times.append((time.perf_counter() - began) * 1000)
        rows.append((example, _labels_of(hits), hits))
    bad: dict[str, Any] = {}
    for name, text in bad_inputs().items():
        spent = []
        for _ in range(5):
            began = time.perf_counter()
            (hits,) = detect([text])
            spent.append((time.perf_counter() - began) * 1000)
        bad[name] = {"max_ms": round(max(spent), 2), "labels": sorted(_labels_of(hits))}
    all_times = times + [row["max_ms"] for row in bad.values()]
    misses = []
    for example, got, hits in rows:
        if example.label == "none" and not got:
            continue
        if example.label != "none" and example.label in got and got <= {example.label}:
            continue
        misses.append(
            {
                "split": example.split,
                "label": example.label,
                "kind": example.kind,
                "predicted": sorted(got) or ["none"],
                "text": example.text,
                "rules": sorted({hit.detail for hit in hits if hit.detail}),
            }
        )
    scores = {split: _scores([r for r in rows if r[0].split == split]) for split in SPLITS}
    scores["all"] = _scores(rows)
    held_out = scores["held-out"]
    targets = {
        "threat recall ≥ 0.9 (all)": (scores["all"]["labels"]["threat"]["recall"] or 0)
        >= TARGET_THREAT_RECALL,
        "harmless flagged as threat ≤ 5 % (all)": (scores["all"]["harmless_flagged_threat"] or 0)
        <= TARGET_HARMLESS_FLAGGED,
        "harmless flagged as threat ≤ 5 % (held-out)": (held_out["harmless_flagged_threat"] or 0)
        <= TARGET_HARMLESS_FLAGGED,
        f"p95 per item ≤ {TIME_BUDGET_MS:g} ms, bad input included": _percentile(all_times, 0.95)
        <= TIME_BUDGET_MS,
    }
    # Reported, not a gate: the held-out part shows what tuning on the other part is worth.
    held_out_recall = held_out["labels"]["threat"]["recall"]
    return {
        "command": "python -m bench.detectors",
        "held_out_threat_recall": held_out_recall,
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "lexicon": "moderation.threat_defaults (as seeded)",
        "scores": scores,
        "time_ms": {
            "median": round(statistics.median(times), 3),
            "p95": round(_percentile(times, 0.95), 3),
            "p95_with_bad_input": round(_percentile(all_times, 0.95), 3),
            "max": round(max(all_times), 2),
        },
        "bad_input": bad,
        "targets": targets,
        "misses": misses,
    }


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{value * 100:.1f} %"


def markdown(result: dict[str, Any]) -> list[str]:
    lines = [
        "## Detectors: the Swedish evaluation set (`python -m bench.detectors`)",
        "",
        f"{result['scores']['all']['examples']} comments in bench/data ({result['lexicon']}); "
        f"{result['started_at']}.",
        "",
        "| split | label | examples | precision | recall | false positives | misses |",
        "|---|---|---|---|---|---|---|",
    ]
    for split in (*SPLITS, "all"):
        for label, s in result["scores"][split]["labels"].items():
            lines.append(
                f"| {split} | {label} | {s['examples']} | {_pct(s['precision'])} | "
                f"{_pct(s['recall'])} | {s['false_positives']} | {s['false_negatives']} |"
            )
    lines += [
        "",
        "| split | harmless | flagged as threat | flagged at all | hard negatives "
        "| hard negatives flagged as threat |",
        "|---|---|---|---|---|---|",
    ]
    for split in (*SPLITS, "all"):
        s = result["scores"][split]
        lines.append(
            f"| {split} | {s['harmless']} | {_pct(s['harmless_flagged_threat'])} | "
            f"{_pct(s['harmless_flagged_any'])} | {s['hard_negatives']} | "
            f"{_pct(s['hard_negatives_flagged_threat'])} |"
        )
    t = result["time_ms"]
    lines += [
        "",
        f"Time per item: median {t['median']} ms, p95 {t['p95']} ms; with the bad input "
        f"below p95 {t['p95_with_bad_input']} ms, slowest {t['max']} ms.",
        "",
        "| bad input | slowest of 5 | labels |",
        "|---|---|---|",
    ]
    for name, row in result["bad_input"].items():
        lines.append(f"| {name} | {row['max_ms']} ms | {', '.join(row['labels']) or '–'} |")
    lines += [
        "",
        f"Held-out threat recall (reported, not tuned on): "
        f"{_pct(result['held_out_threat_recall'])}.",
        "",
        "| target | met? |",
        "|---|---|",
    ]
    lines += [f"| {k} | {'yes' if v else '**no**'} |" for k, v in result["targets"].items()]
    lines += ["", "Misses (label → predicted; the rules that fired):", ""]
    for miss in result["misses"]:
        rules = f" — {'; '.join(miss['rules'])}" if miss["rules"] else ""
        lines.append(
            f"- [{miss['split']}, {miss['kind']}] {miss['label']} → "
            f"{', '.join(miss['predicted'])}: “{miss['text']}”{rules}"
        )
    return lines


def write(result: dict[str, Any]) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "detectors.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    text = "\n".join(markdown(result)) + "\n"
    (RESULTS / "detectors.md").write_text(text, encoding="utf-8")
    print(text)


def main() -> None:
    result = evaluate()
    write(result)
    if not all(result["targets"].values()):
        sys.exit("bench.detectors: a target is not met (see bench/results/detectors.md)")


if __name__ == "__main__":
    main()
