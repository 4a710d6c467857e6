"""Stage 6, write: MP3 (in parallel parts), WAV, ID3 tags and chapters, captions, atomic files."""
