"""Conservation metrics of a room over a period (SKELETON: the metrics work writes this module)."""
