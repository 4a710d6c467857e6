"""Publish built sessions: a static listening site (a page per session) and a podcast feed."""
