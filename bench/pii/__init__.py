"""PII detection benchmark: a labelled synthetic corpus and its evaluation."""
