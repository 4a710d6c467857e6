"""Stage 1, read: a routine file to the typed model (YAML with marks, field readers, the routine and step validators, the lexicon)."""
