"""Training side of synthner: corpora, synthetic data generation, training, evaluation, export."""
