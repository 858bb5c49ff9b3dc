"""Simulation scenarios played through the real pipeline on an embedded moto (`python -m chalicelib.simulation`).

May import: anything (it drives the app as a user would, like app.py).
"""
