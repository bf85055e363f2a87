"""The Design inspector: the selected element's text, type, colours and geometry."""
