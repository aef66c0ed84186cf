"""Exporters: self-contained interactive HTML maps (pyvis), GEXF, GraphML and Kumu."""
