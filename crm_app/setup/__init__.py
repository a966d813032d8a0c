"""What a first start writes: the admin, default catalogs and pipelines, demo data."""
