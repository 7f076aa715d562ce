"""Exports of a network to other tools: no web imports, usable on its own."""
