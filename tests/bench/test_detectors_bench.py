"""The detectors' evaluation (python -m bench.detectors) meets its targets on the Swedish
evaluation set: threat recall at least 0.9, at most 5 % of harmless comments flagged as
threats, and every item, bad input included, within the time budget."""

from bench import detectors


def test_the_evaluation_set_is_large_labelled_and_has_hard_negatives():
    examples = detectors.examples()
    assert len(examples) >= 300
    assert {e.label for e in examples} == {"threat", "incitement", "harassment", "none"}
    assert sum(e.kind == "hard" for e in examples) >= 80
    assert {e.split for e in examples} == {"tuned", "held-out"}
    assert len({e.text for e in examples}) == len(examples)


def test_the_targets_are_met():
    result = detectors.evaluate()
    everything = result["scores"]["all"]
    assert everything["labels"]["threat"]["recall"] >= 0.9
    assert everything["harmless_flagged_threat"] <= 0.05
    assert result["scores"]["held-out"]["harmless_flagged_threat"] <= 0.05
    assert result["time_ms"]["p95_with_bad_input"] <= detectors.TIME_BUDGET_MS
    assert all(result["targets"].values()), result["targets"]
    assert result["misses"]  # the list the notes explain is produced
