"""Item pipelines of the tracker project."""
