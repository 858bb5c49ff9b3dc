"""Simulation scenarios played through the real pipeline on an embedded moto (`python -m chalicelib.simulation`)."""
