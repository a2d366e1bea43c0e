"""The exhibitions pages, one module per noun: the touring marketplace and exhibitions, their stops, co-curation
projects."""
