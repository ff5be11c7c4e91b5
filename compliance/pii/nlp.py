"""A Presidio NLP engine on spaCy that never downloads a model.

Presidio's stock engine downloads ``en_core_web_lg`` when it is missing,
which a machine without network cannot do and a worker must never wait on.
This engine loads a spaCy model only when it is installed and otherwise runs
a blank English pipeline: tokens without NER, which is all the pattern
recognizers and Presidio's context enhancement need.
"""
from __future__ import annotations

import functools
import logging
from pathlib import Path

import spacy
from presidio_analyzer.nlp_engine import NerModelConfiguration, NlpArtifacts, SpacyNlpEngine
from spacy.attrs import IDX, LENGTH
from spacy.language import Language
from spacy.tokens import Doc
from spacy.vocab import Vocab

logger = logging.getLogger(__name__)

BLANK_MODEL = "blank:en"

# spaCy labels that map to the entities Atlas reports; everything else
# (ORG, DATE, CARDINAL, ...) is noise for PII detection.
_ENTITY_MAPPING = {
    "PERSON": "PERSON", "PER": "PERSON", "GPE": "LOCATION", "LOC": "LOCATION", "FAC": "LOCATION",
}
_IGNORED = ["ORG", "ORGANIZATION", "NORP", "DATE", "TIME", "CARDINAL", "EVENT", "LANGUAGE", "LAW", "MONEY",
            "ORDINAL", "PERCENT", "PRODUCT", "QUANTITY", "WORK_OF_ART"]


_NOT_NEEDED = ["parser", "tagger", "attribute_ruler", "lemmatizer", "senter", "morphologizer"]


def model_available(model: str) -> bool:
    """True when ``model`` is an installed spaCy package or a model directory."""
    return spacy.util.is_package(model) or Path(model).is_dir()


class LightSpacyNlpEngine(SpacyNlpEngine):
    """Presidio NLP engine over an installed spaCy model, or a blank pipeline.

    ``has_ner`` tells whether a real model (with NER) was loaded. ``tokenize``
    runs the tokenizer alone, for structured columns where NER would be slow
    and useless.
    """

    engine_name = "atlas_spacy"

    def __init__(self, model: str | None = None) -> None:
        self.requested_model = model
        config = NerModelConfiguration(
            model_to_presidio_entity_mapping=_ENTITY_MAPPING,
            labels_to_ignore=_IGNORED,
            low_score_entity_names=[],
        )
        super().__init__(models=[{"lang_code": "en", "model_name": model or BLANK_MODEL}],
                         ner_model_configuration=config)
        self.has_ner = False

    def load(self) -> None:
        """Load the requested model when installed, otherwise blank English."""
        self.nlp = {"en": self._load_pipeline()}

    def _load_pipeline(self) -> Language:
        model = self.requested_model
        if model and model_available(model):
            # Only NER is used (context words fall back to lower-cased
            # tokens), and the other components take half the time.
            nlp = spacy.load(model, exclude=_NOT_NEEDED)
            if "tok2vec" in nlp.pipe_names and "ner" not in nlp.get_pipe("tok2vec").listening_components:
                nlp.remove_pipe("tok2vec")
            self.has_ner = "ner" in nlp.pipe_names
            return nlp
        if model:
            logger.warning("spaCy model %r is not installed; PII detection runs without NER.", model)
        return spacy.blank("en")

    def tokenize(self, text: str) -> NlpArtifacts:
        """Artifacts from the tokenizer only: no NER, no tagger."""
        return self._doc_to_nlp_artifact(self.nlp["en"].make_doc(text), "en")

    def empty_artifacts(self) -> NlpArtifacts:
        """Artifacts with no tokens: recognizers run on the text, context comes only from the caller.

        For a structured column joined one value per line, the words around
        a value are other values, not context; the header is the context.
        """
        return NlpArtifacts(entities=[], tokens=Doc(self.nlp["en"].vocab, words=[]), tokens_indices=[],
                            lemmas=[], nlp_engine=self, language="en")

    def get_supported_entities(self) -> list[str]:
        """PERSON and LOCATION when a model with NER is loaded, nothing otherwise."""
        return ["PERSON", "LOCATION"] if self.has_ner else []

    def is_stopword(self, word: str, language: str) -> bool:  # noqa: D102
        return _lexeme_flags(self.nlp[language].vocab, word)[0]

    def is_punct(self, word: str, language: str) -> bool:  # noqa: D102
        return _lexeme_flags(self.nlp[language].vocab, word)[1]

    def _doc_to_nlp_artifact(self, doc: Doc, language: str) -> NlpArtifacts:
        # One pass over arrays instead of one Token object per token and
        # attribute (the stock version spends most of a free-text column there).
        # There is no lemmatizer: lower-cased words stand in for lemmas, enough
        # for context words ("phone", "email") to be found around a match.
        text = doc.text
        spans = doc.to_array([IDX, LENGTH]).tolist() if len(doc) else []
        starts = [start for start, _ in spans]
        lemmas = [text[start:start + length].lower() for start, length in spans]
        entities, scores = self._get_updated_entities(self._get_entities(doc),
                                                      self._get_scores_for_entities(doc))
        return NlpArtifacts(entities=entities, tokens=doc, tokens_indices=starts, lemmas=lemmas,
                            nlp_engine=self, language=language, scores=scores)


@functools.lru_cache(maxsize=65536)
def _lexeme_flags(vocab: Vocab, word: str) -> tuple[bool, bool]:
    lexeme = vocab[word]
    return lexeme.is_stop, lexeme.is_punct
