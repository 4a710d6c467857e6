"""Stage 2, script: the routine expanded into items and laid out in integer samples. Pure logic, no audio."""
