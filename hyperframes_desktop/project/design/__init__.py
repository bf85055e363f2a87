"""Visual edits of a composition's elements (position, size, rotation, style declarations),
as minimal changes to the HTML text. Qt-free."""
