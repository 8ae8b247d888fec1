"""Batch tagging of notes: readers, resumable writers and the tagging loop behind `synthner tag`."""
