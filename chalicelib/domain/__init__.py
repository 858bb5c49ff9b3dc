"""Pure types and rules of Tandem: nothing here imports other parts of chalicelib.

May import: nothing of ours.
"""
