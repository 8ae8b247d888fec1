"""Entity-level evaluation: strict and partial precision, recall and F1."""
