"""Raw -> core + quarantine: row rules, corrections, the quarantine split, Great Expectations,
check outcomes, per-dataset transforms and normalisation."""
