"""The Layers dock: the composition's elements in paint order, with studio-only hide and lock."""
