"""The requirement library: loads requirement_library/, matches triggers, fills parameters."""
