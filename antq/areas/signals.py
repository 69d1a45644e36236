"""Signals of the areas app, for apps whose derived data follows the area tree."""

from django.dispatch import Signal

# Sent (inside the rebuild's transaction) after AreaTreePath has been recomputed.
tree_rebuilt = Signal()
