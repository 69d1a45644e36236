"""Signals of the areas app, for apps whose derived data follows the area tree.

Both carry `units`: the areas whose ancestors change (an area given a new parent, with every
area under it), or None when the whole tree may have changed (a load of the official lists).
"""

from django.dispatch import Signal

# Sent inside the change's transaction, before the closure (AreaTreePath) is recomputed.
tree_changing = Signal()
# Sent inside the same transaction, after it has been recomputed.
tree_rebuilt = Signal()
