"""Fine-tuning a token-classification encoder on character-span corpora."""
