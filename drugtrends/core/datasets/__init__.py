"""Per-dataset transformations applied to contract-clean rows before they enter core."""
