"""Quality services: the logic behind the stage, the pages, the API and ``atlas_quality``."""
