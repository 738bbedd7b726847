"""The OCDS 1.1.5 release package of a procurement, and its offline validation."""
