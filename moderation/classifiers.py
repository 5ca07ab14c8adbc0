"""Running the detectors over a batch of texts: the built-in ones (moderation.detectors) and
the classifiers MODERATION_CLASSIFIERS names (the Swedish threat detector, and any a
municipality adds), each built once per batch with the threat lexicon."""

import logging
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.utils.module_loading import import_string

from moderation.detectors import Hit, WordEntry, detect
from moderation.threats import Classifier, LexiconTerm

logger = logging.getLogger(__name__)


def classifiers_load(*, lexicon: Iterable[LexiconTerm]) -> list[Classifier]:
    terms = frozenset(lexicon)
    return [import_string(path)(lexicon=terms) for path in settings.MODERATION_CLASSIFIERS]


def texts_detect(
    texts: Sequence[str], *, words: Iterable[WordEntry], lexicon: Iterable[LexiconTerm]
) -> list[list[Hit]]:
    """Every hit in each text, in order of where it starts. A classifier that fails is logged
    and left out: what a citizen wrote is stored whatever a classifier makes of it."""
    words = list(words)
    found = [detect(text, words) for text in texts]
    for classifier in classifiers_load(lexicon=lexicon):
        try:
            extra = classifier.classify(texts)
        except Exception:
            logger.exception("The classifier %s failed on a batch", type(classifier).__name__)
            continue
        for hits, more in zip(found, extra, strict=True):
            hits.extend(more)
    return [sorted(hits, key=lambda hit: (hit.start, hit.end)) for hits in found]
