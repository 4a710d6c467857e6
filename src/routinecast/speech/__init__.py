"""Stage 3, speech: the engine interface, the engines, and a cached, trimmed clip for every line."""
