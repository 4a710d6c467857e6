"""Stage 1, read: a routine file to the typed model.

YAML with line marks, field readers, the routine and step validators, the lexicon.
"""
