"""Reads and writes behind the routes: lines, drafts, views, statistics."""
