"""The taxonomy: load and validate the YAML folder, edit it, keep its changelog and proposals."""
