"""Relation and assertion classifiers: sequence classification over the MiniLM encoder."""
