"""MyeloView reference-model training pipeline (see training/README.md)."""
