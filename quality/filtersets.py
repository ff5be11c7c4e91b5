"""Quality filtersets: one per model, shared by the pages and the API."""
