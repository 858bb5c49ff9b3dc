"""The composition root's parts: one typed provider per package, each building its services lazily.

`chalicelib.bootstrap.Services` combines them. A provider may import anything (it wires), but only
inside its methods or under TYPE_CHECKING, so a cold start imports what its handler uses. What a
provider needs from another it declares as a read-only property under TYPE_CHECKING.
May import: anything.
"""
