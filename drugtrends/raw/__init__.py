"""Sources -> raw: the sources file, landing (copy or download, checksum), readers, ingest."""
