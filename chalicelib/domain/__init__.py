"""Pure types and rules of Tandem: nothing here imports other parts of chalicelib."""
