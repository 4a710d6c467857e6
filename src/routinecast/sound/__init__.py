"""Stage 4, sound: the audio bank behind every event, the voice's levelling, tones, user recordings, loudness."""
