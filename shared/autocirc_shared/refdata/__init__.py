"""Offline reference data shipped inside the package (see SOURCES.md)."""
